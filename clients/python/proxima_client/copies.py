"""The environment side of a runner: k copies stepped in lockstep, in the protocol's terms.

Both classes here present the same interface to :class:`proxima_client.Runner`:

* ``reset(seeds)`` resets every copy (copy ``i`` with ``seeds[i]``) and returns a
  :class:`Batch` with the observations (and masks);
* ``step(actions)`` applies the service's actions and returns a :class:`Batch` in which a copy
  whose episode ended has already been reset: ``observations[i]`` is its next episode's first
  observation and, when it was truncated (not terminated), ``final_observations[str(i)]`` its
  last one. That is the protocol's "same-step" reset.

:class:`EnvCopies` makes and steps its own copies from factories. :class:`VectorEnvCopies`
wraps a user's :class:`gymnasium.vector.VectorEnv`, whose autoreset mode decides how the ended
episodes are found (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode

from .spaces import ActionMapping, ObservationMapping, action_mapping, flatten_mask, observation_mapping

MaskFn = Callable[[Any, dict], Any]


@dataclass
class Batch:
    """One protocol step's worth of data, already in JSON-ready Python types."""

    observations: list[list[float]]
    rewards: list[float] | None = None
    terminated: list[bool] | None = None
    truncated: list[bool] | None = None
    final_observations: dict[str, list[float]] = field(default_factory=dict)
    action_masks: list[list[bool]] | None = None

    def body(self, sequence: int) -> dict[str, Any]:
        """The step request body for this batch."""
        b: dict[str, Any] = {"sequence": sequence, "observations": self.observations}
        if self.rewards is not None:
            b["rewards"] = self.rewards
            b["terminated"] = self.terminated
            b["truncated"] = self.truncated
            b["finalObservations"] = self.final_observations
        if self.action_masks is not None:
            b["actionMasks"] = self.action_masks
        return b


def _finite_rows(arr: np.ndarray, what: str) -> list[list[float]]:
    if not np.isfinite(arr).all():
        bad = sorted(set(np.argwhere(~np.isfinite(arr))[:, 0].tolist()))
        raise ValueError(f"{what} of copies {bad} contain NaN or infinite values, which Proxima refuses")
    return arr.tolist()


def _default_mask(_env: Any, info: dict) -> Any:
    if "action_mask" not in info:
        raise KeyError("the job uses action masks but the environment's info has no 'action_mask' "
                       "(pass action_mask_fn to compute it)")
    return info["action_mask"]


class _MaskCheck:
    def __init__(self, size: int | None):
        if size is None:
            raise ValueError("action masks need a discrete or multi-discrete action space")
        self.size = size

    def row(self, mask: Any, i: int) -> list[bool]:
        flat = flatten_mask(mask)
        if flat.size != self.size:
            raise ValueError(f"action mask of copy {i} has {flat.size} flags, the action space needs {self.size}")
        return flat.tolist()


class EnvCopies:
    """k environments made from factories, each reset in the same step its episode ends.

    Copy ``i`` is reset with ``seeds[i]`` after every attach; resets within a run are unseeded
    (the copy's generator carries on, as Gymnasium intends).
    """

    def __init__(self, env_fns: Sequence[Callable[[], gym.Env]], *, action_masks: bool = False,
                 action_mask_fn: MaskFn | None = None):
        if not env_fns:
            raise ValueError("need at least one environment factory")
        self.envs = [fn() for fn in env_fns]
        self.num_envs = len(self.envs)
        first = self.envs[0]
        self.obs_map: ObservationMapping = observation_mapping(first.observation_space)
        self.act_map: ActionMapping = action_mapping(first.action_space)
        self.observation_space = first.observation_space
        self.action_space = first.action_space
        self._masks = _MaskCheck(self.act_map.mask_size) if action_masks else None
        self._mask_fn = action_mask_fn or _default_mask
        self._obs = np.empty((self.num_envs, self.obs_map.size), dtype=np.float64)

    def _mask_rows(self, infos: list[dict]) -> list[list[bool]] | None:
        if self._masks is None:
            return None
        return [self._masks.row(self._mask_fn(env, info), i) for i, (env, info) in enumerate(zip(self.envs, infos))]

    def reset(self, seeds: Sequence[int | None]) -> Batch:
        infos = []
        encode = self.obs_map.encode_array
        for i, env in enumerate(self.envs):
            obs, info = env.reset(seed=None if seeds is None else seeds[i])
            self._obs[i] = encode(obs)
            infos.append(info)
        return Batch(_finite_rows(self._obs, "observations"), action_masks=self._mask_rows(infos))

    def step(self, actions: Sequence[Any]) -> Batch:
        n = self.num_envs
        if len(actions) != n:
            raise ValueError(f"the service sent {len(actions)} actions for {n} copies")
        decode, encode = self.act_map.decode, self.obs_map.encode_array
        rewards, terms, truncs = [0.0] * n, [False] * n, [False] * n
        finals: dict[str, list[float]] = {}
        infos = [None] * n
        for i, env in enumerate(self.envs):
            obs, r, term, trunc, info = env.step(decode(actions[i]))
            rewards[i] = float(r)
            terms[i] = term = bool(term)
            truncs[i] = trunc = bool(trunc)
            if term or trunc:
                if trunc and not term:
                    finals[str(i)] = _finite_rows(encode(obs)[None, :], f"final observation of copy {i}")[0]
                obs, info = env.reset()
            self._obs[i] = encode(obs)
            infos[i] = info
        return Batch(_finite_rows(self._obs, "observations"), rewards, terms, truncs, finals,
                     self._mask_rows(infos))

    def close(self) -> None:
        for env in self.envs:
            env.close()


def autoreset_mode_of(env: gym.vector.VectorEnv) -> AutoresetMode | None:
    mode = env.metadata.get("autoreset_mode")
    if mode is None:
        return None
    return mode if isinstance(mode, AutoresetMode) else AutoresetMode(mode)


NEXT_STEP_REFUSAL = (
    "this vector environment resets its copies in the NEXT_STEP autoreset mode (Gymnasium's default), "
    "which Proxima's runner protocol cannot express: a copy's reset observation only comes back one "
    "vector step later, but that step needs the service's actions for the other copies, and the "
    "service only answers once it has every copy's next observation. Create the vector env with "
    "autoreset_mode=gymnasium.vector.AutoresetMode.SAME_STEP (or DISABLED), e.g. "
    "gym.make_vec(env_id, num_envs=k, vector_kwargs={'autoreset_mode': AutoresetMode.SAME_STEP}), "
    "or give the Runner environment factories instead")


class VectorEnvCopies:
    """A user's Gymnasium vector environment as runner copies.

    * ``SAME_STEP``: the vector env resets ended copies itself and puts their last observation
      in ``infos["final_obs"]``; used as is.
    * ``DISABLED``: the runner resets the ended copies right after the step with
      ``reset(options={"reset_mask": ended})``, so they still go out in the same protocol step.
    * ``NEXT_STEP`` (Gymnasium's default): refused, see :data:`NEXT_STEP_REFUSAL`.

    The mode is read from ``env.metadata["autoreset_mode"]``; ``autoreset_mode`` overrides it
    for vector envs that do not declare one (Gymnasium then assumes NEXT_STEP, and so do we).
    Masks come from ``infos["action_mask"]`` (batched, one row per copy) or
    ``action_mask_fn(env, infos)``, which must return one mask per copy.
    """

    def __init__(self, env: gym.vector.VectorEnv, *, autoreset_mode: AutoresetMode | str | None = None,
                 action_masks: bool = False, action_mask_fn: MaskFn | None = None):
        mode = AutoresetMode(autoreset_mode) if autoreset_mode is not None else autoreset_mode_of(env)
        if mode is None or mode == AutoresetMode.NEXT_STEP:
            declared = "declares no autoreset_mode, so it is taken as NEXT_STEP" if mode is None else "uses NEXT_STEP"
            raise ValueError(f"{type(env).__name__} {declared}: {NEXT_STEP_REFUSAL}")
        if mode not in (AutoresetMode.SAME_STEP, AutoresetMode.DISABLED):
            raise ValueError(f"unknown autoreset mode {mode}")
        self.env = env
        self.mode = mode
        self.num_envs = env.num_envs
        self.observation_space = env.single_observation_space
        self.action_space = env.single_action_space
        self.obs_map = observation_mapping(self.observation_space)
        self.act_map = action_mapping(self.action_space)
        self._masks = _MaskCheck(self.act_map.mask_size) if action_masks else None
        self._mask_fn = action_mask_fn or _default_mask

    def _mask_array(self, infos: dict) -> list[list[bool]] | None:
        if self._masks is None:
            return None
        masks = self._mask_fn(self.env, infos)
        if isinstance(masks, np.ndarray) and masks.dtype != object and masks.ndim == 2:
            if masks.shape != (self.num_envs, self._masks.size):
                raise ValueError(f"action masks of shape {masks.shape}, expected {(self.num_envs, self._masks.size)}")
            return masks.astype(bool).tolist()
        if len(masks) != self.num_envs:
            raise ValueError(f"{len(masks)} action masks for {self.num_envs} copies")
        return [self._masks.row(m, i) for i, m in enumerate(masks)]

    def reset(self, seeds: Sequence[int | None]) -> Batch:
        obs, infos = self.env.reset(seed=None if seeds is None else list(seeds))
        enc = self.obs_map.encode_batch(obs, self.num_envs)
        return Batch(_finite_rows(enc, "observations"), action_masks=self._mask_array(infos))

    def step(self, actions: Sequence[Any]) -> Batch:
        n = self.num_envs
        if len(actions) != n:
            raise ValueError(f"the service sent {len(actions)} actions for {n} copies")
        obs, rewards, terms, truncs, infos = self.env.step(self.act_map.decode_batch(actions))
        terms = np.asarray(terms, dtype=bool)
        truncs = np.asarray(truncs, dtype=bool)
        enc = self.obs_map.encode_batch(obs, n)
        masks = self._mask_array(infos)
        ended = terms | truncs
        bootstrap = np.flatnonzero(truncs & ~terms)
        finals: dict[str, list[float]] = {}
        if self.mode == AutoresetMode.SAME_STEP:
            if ended.any():
                final_obs = infos.get("final_obs")
                has = infos.get("_final_obs")
                missing = [int(i) for i in np.flatnonzero(ended)
                           if final_obs is None or (has is not None and not has[i])]
                if missing:
                    raise ValueError(f"copies {missing} ended but infos has no 'final_obs' for them: "
                                     "is the vector env really in the SAME_STEP autoreset mode?")
                for i in bootstrap:
                    finals[str(i)] = _finite_rows(self.obs_map.encode_array(final_obs[i])[None, :],
                                                  f"final observation of copy {i}")[0]
        elif ended.any():  # DISABLED: the step's observation is the last one; reset those copies now
            for i in bootstrap:
                finals[str(i)] = _finite_rows(enc[i][None, :], f"final observation of copy {i}")[0]
            reset_obs, reset_infos = self.env.reset(options={"reset_mask": ended})
            enc = enc.copy()
            enc[ended] = self.obs_map.encode_batch(reset_obs, n)[ended]
            if masks is not None:
                reset_masks = self._mask_array(reset_infos)
                for i in np.flatnonzero(ended):
                    masks[i] = reset_masks[i]
        return Batch(_finite_rows(enc, "observations"), np.asarray(rewards, dtype=np.float64).tolist(),
                     terms.tolist(), truncs.tolist(), finals, masks)

    def close(self) -> None:
        self.env.close()
