"""Gymnasium spaces <-> Proxima's JSON spaces.

Proxima sees every observation as a flat vector of floats (a ``box``) and every action as
``discrete``, ``multiDiscrete`` or ``box``. An :class:`ObservationMapping` turns the
environment's observations into such vectors; an :class:`ActionMapping` turns the service's
actions back into what the environment's ``step`` expects (dtype, shape, ``start`` offsets).

Observation encodings follow Stable-Baselines3: ``Discrete`` becomes a one-hot vector,
``MultiDiscrete`` the concatenation of one one-hot vector per dimension, ``MultiBinary`` a
0/1 box, and ``Dict``/``Tuple`` spaces are flattened with :func:`gymnasium.spaces.flatten`.
"""

from __future__ import annotations

import math
from typing import Any, Sequence

import numpy as np
from gymnasium import spaces

__all__ = [
    "ObservationMapping",
    "ActionMapping",
    "observation_mapping",
    "action_mapping",
    "space_bounds",
]


def space_bounds(values: np.ndarray) -> list[float | None]:
    """Flattened bounds as JSON numbers, ``None`` (JSON ``null``) for an infinite side."""
    return [None if math.isinf(v) else v for v in np.asarray(values, dtype=np.float64).reshape(-1).tolist()]


class ObservationMapping:
    """Encodes observations of one Gymnasium space as flat float vectors.

    ``spec`` is the Proxima ``observationSpace`` JSON. ``encode_array`` is the hot path (a
    float64 vector); ``encode`` gives the same as a list of Python floats, ready for JSON;
    ``encode_batch`` encodes a vector environment's batched observation, one row per copy.
    """

    def __init__(self, space: spaces.Space, size: int, low: Sequence[float | None],
                 high: Sequence[float | None]):
        self.space = space
        self.size = size
        self.spec: dict[str, Any] = {"type": "box", "shape": [size], "low": list(low), "high": list(high)}

    def encode_array(self, obs: Any) -> np.ndarray:
        raise NotImplementedError

    def encode(self, obs: Any) -> list[float]:
        return self.encode_array(obs).tolist()

    def encode_batch(self, obs: Any, num_envs: int) -> np.ndarray:
        """A vector environment's observation (batched along axis 0) as a (num_envs, size) array."""
        from gymnasium.vector.utils import batch_space, iterate

        out = np.empty((num_envs, self.size), dtype=np.float64)
        for i, o in enumerate(iterate(batch_space(self.space, num_envs), obs)):
            out[i] = self.encode_array(o)
        return out

    def _check(self, flat: np.ndarray) -> np.ndarray:
        if flat.shape != (self.size,):
            raise ValueError(f"observation of {flat.size} values does not fit {self.space} ({self.size} values)")
        return flat


class _BoxObservation(ObservationMapping):
    def __init__(self, space: spaces.Box):
        super().__init__(space, int(np.prod(space.shape, dtype=np.int64)), space_bounds(space.low),
                         space_bounds(space.high))

    def encode_array(self, obs):
        return self._check(np.asarray(obs, dtype=np.float64).reshape(-1))

    def encode_batch(self, obs, num_envs):
        arr = np.asarray(obs, dtype=np.float64)
        if arr.size != num_envs * self.size:
            raise ValueError(f"batched observation of shape {arr.shape} does not fit {num_envs} x {self.space}")
        return arr.reshape(num_envs, self.size)


class _DiscreteObservation(ObservationMapping):
    """One-hot over ``n`` values; observation ``start + j`` sets position ``j``."""

    def __init__(self, space: spaces.Discrete):
        n = int(space.n)
        super().__init__(space, n, [0.0] * n, [1.0] * n)
        self._start = int(space.start)
        self._eye = np.eye(n, dtype=np.float64)

    def encode_array(self, obs):
        j = int(obs) - self._start
        if not 0 <= j < self.size:
            raise ValueError(f"observation {obs} is outside {self.space}")
        return self._eye[j]

    def encode_batch(self, obs, num_envs):
        j = np.asarray(obs, dtype=np.int64).reshape(num_envs) - self._start
        if np.any(j < 0) or np.any(j >= self.size):
            raise ValueError(f"observations {obs} are outside {self.space}")
        return self._eye[j]


class _MultiDiscreteObservation(ObservationMapping):
    """One one-hot block per dimension, concatenated (as SB3)."""

    def __init__(self, space: spaces.MultiDiscrete):
        self._nvec = space.nvec.reshape(-1).astype(np.int64)
        self._start = np.asarray(space.start).reshape(-1).astype(np.int64)
        size = int(self._nvec.sum())
        super().__init__(space, size, [0.0] * size, [1.0] * size)
        self._offsets = np.concatenate([[0], np.cumsum(self._nvec)[:-1]]).astype(np.int64)

    def _indices(self, obs, rows: int) -> np.ndarray:
        j = np.asarray(obs, dtype=np.int64).reshape(rows, -1) - self._start
        if j.shape[1] != self._nvec.size or np.any(j < 0) or np.any(j >= self._nvec):
            raise ValueError(f"observation {obs} is outside {self.space}")
        return j + self._offsets

    def encode_array(self, obs):
        out = np.zeros(self.size, dtype=np.float64)
        out[self._indices(obs, 1)[0]] = 1.0
        return out

    def encode_batch(self, obs, num_envs):
        out = np.zeros((num_envs, self.size), dtype=np.float64)
        out[np.arange(num_envs)[:, None], self._indices(obs, num_envs)] = 1.0
        return out


class _MultiBinaryObservation(_BoxObservation):
    def __init__(self, space: spaces.MultiBinary):
        size = int(np.prod(space.shape, dtype=np.int64))
        ObservationMapping.__init__(self, space, size, [0.0] * size, [1.0] * size)


class _FlattenedObservation(ObservationMapping):
    """Dict, Tuple and other composite spaces, through gymnasium's own flattening."""

    def __init__(self, space: spaces.Space):
        try:
            flat = spaces.flatten_space(space)
        except NotImplementedError as e:
            raise TypeError(f"cannot map observation space {space} to a Proxima box") from e
        if not isinstance(flat, spaces.Box):
            raise TypeError(f"cannot map observation space {space} to a Proxima box "
                            f"(it flattens to {type(flat).__name__}, not a fixed-size Box)")
        super().__init__(space, int(np.prod(flat.shape)), space_bounds(flat.low), space_bounds(flat.high))

    def encode_array(self, obs):
        return self._check(np.asarray(spaces.flatten(self.space, obs), dtype=np.float64).reshape(-1))


def observation_mapping(space: spaces.Space) -> ObservationMapping:
    """The mapping for an environment's (single-copy) observation space."""
    if isinstance(space, spaces.Box):
        return _BoxObservation(space)
    if isinstance(space, spaces.Discrete):
        return _DiscreteObservation(space)
    if isinstance(space, spaces.MultiDiscrete):
        return _MultiDiscreteObservation(space)
    if isinstance(space, spaces.MultiBinary):
        return _MultiBinaryObservation(space)
    return _FlattenedObservation(space)


class ActionMapping:
    """Decodes the service's JSON actions into actions of one Gymnasium space.

    ``spec`` is the Proxima ``actionSpace`` JSON; ``mask_size`` the length of an action mask
    (``n`` for discrete, ``sum(nvec)`` for multiDiscrete, ``None`` for box: no masks).
    ``decode`` handles one copy's action, ``decode_batch`` a list of them for a vector env.
    """

    spec: dict[str, Any]
    mask_size: int | None = None

    def __init__(self, space: spaces.Space):
        self.space = space

    def decode(self, action: Any) -> Any:
        raise NotImplementedError

    def decode_batch(self, actions: list) -> np.ndarray:
        raise NotImplementedError


class _DiscreteAction(ActionMapping):
    def __init__(self, space: spaces.Discrete):
        super().__init__(space)
        self.n = int(space.n)
        self._start = int(space.start)
        self.spec = {"type": "discrete", "n": self.n}
        self.mask_size = self.n

    def decode(self, action):
        return self.space.dtype.type(int(action) + self._start)

    def decode_batch(self, actions):
        return np.asarray(actions, dtype=self.space.dtype) + self.space.dtype.type(self._start)


class _MultiDiscreteAction(ActionMapping):
    """MultiDiscrete (any nvec shape, flattened for the service) and MultiBinary ([2] * n)."""

    def __init__(self, space: spaces.MultiDiscrete | spaces.MultiBinary):
        super().__init__(space)
        if isinstance(space, spaces.MultiBinary):
            self._shape = tuple(space.shape)
            nvec = np.full(self._shape, 2, dtype=np.int64)
            self._start = np.zeros(self._shape, dtype=space.dtype)
        else:
            self._shape = tuple(space.nvec.shape)
            nvec = space.nvec
            self._start = np.asarray(space.start, dtype=space.dtype)
        self._dtype = space.dtype
        self.nvec = [int(v) for v in np.asarray(nvec).reshape(-1)]
        self.spec = {"type": "multiDiscrete", "nvec": list(self.nvec)}
        self.mask_size = sum(self.nvec)

    def decode(self, action):
        return np.asarray(action, dtype=self._dtype).reshape(self._shape) + self._start

    def decode_batch(self, actions):
        return np.asarray(actions, dtype=self._dtype).reshape((len(actions),) + self._shape) + self._start


class _BoxAction(ActionMapping):
    def __init__(self, space: spaces.Box):
        super().__init__(space)
        if not (np.all(np.isfinite(space.low)) and np.all(np.isfinite(space.high))):
            raise ValueError(
                f"Proxima needs finite bounds for a Box action space, got {space}; wrap the environment "
                "(e.g. gymnasium.wrappers.RescaleAction or ClipAction on a bounded space) so its "
                "action space is bounded")
        self._shape = tuple(space.shape)
        self._low = space.low
        self._high = space.high
        self._integer = np.issubdtype(space.dtype, np.integer)
        size = int(np.prod(self._shape, dtype=np.int64))
        self.spec = {"type": "box", "shape": [size], "low": space_bounds(space.low),
                     "high": space_bounds(space.high)}

    def _finish(self, a: np.ndarray) -> np.ndarray:
        # The service already clips; clipping again guards against float rounding at the bounds.
        a = np.clip(a, self._low, self._high)
        if self._integer:
            a = np.rint(a)
        return a.astype(self.space.dtype, copy=False)

    def decode(self, action):
        return self._finish(np.asarray(action, dtype=np.float64).reshape(self._shape))

    def decode_batch(self, actions):
        return self._finish(np.asarray(actions, dtype=np.float64).reshape((len(actions),) + self._shape))


class _HybridAction(ActionMapping):
    """A parameterized action space, gym-hybrid's ``Tuple((Discrete(n), Box(m)))``: an action type
    and continuous parameters. ``parameter_mask[k]`` flags the parameters type k uses (every one
    when not given). Actions come back as ``(type, parameters)``; a vector env gets the tuple of
    the batch's types and parameters, as Gymnasium batches a Tuple space.
    """

    def __init__(self, space: spaces.Tuple, parameter_mask=None):
        super().__init__(space)
        types, params = space.spaces
        self._types = _DiscreteAction(types)
        self._params = _BoxAction(params)
        n = self._types.n
        m = len(self._params.spec["low"])
        mask = [[True] * m for _ in range(n)] if parameter_mask is None else [
            [bool(flag) for flag in row] for row in parameter_mask]
        if len(mask) != n or any(len(row) != m for row in mask):
            raise ValueError(f"parameter_mask must have {n} rows of {m} flags, got {parameter_mask}")
        self.spec = {"type": "hybrid", "n": n,
                     "parameters": {"low": self._params.spec["low"], "high": self._params.spec["high"]},
                     "parameterMask": mask}
        self.mask_size = n

    def decode(self, action):
        return self._types.decode(action["type"]), self._params.decode(action["parameters"])

    def decode_batch(self, actions):
        return (self._types.decode_batch([a["type"] for a in actions]),
                self._params.decode_batch([a["parameters"] for a in actions]))


def _is_hybrid(space: spaces.Space) -> bool:
    return (isinstance(space, spaces.Tuple) and len(space.spaces) == 2
            and isinstance(space.spaces[0], spaces.Discrete) and isinstance(space.spaces[1], spaces.Box))


def action_mapping(space: spaces.Space, parameter_mask=None) -> ActionMapping:
    """The mapping for an environment's (single-copy) action space.

    ``parameter_mask`` applies to a hybrid ``Tuple((Discrete(n), Box(m)))`` space: row k flags
    the parameters action type k uses.
    """
    if isinstance(space, spaces.Discrete):
        return _DiscreteAction(space)
    if isinstance(space, (spaces.MultiDiscrete, spaces.MultiBinary)):
        return _MultiDiscreteAction(space)
    if isinstance(space, spaces.Box):
        return _BoxAction(space)
    if _is_hybrid(space):
        return _HybridAction(space, parameter_mask)
    raise TypeError(f"Proxima cannot train on action space {space}: it takes Discrete, MultiDiscrete, "
                    "MultiBinary, bounded Box or hybrid Tuple((Discrete, Box)) actions")


def flatten_mask(mask: Any) -> np.ndarray:
    """A mask as one flat bool vector: MultiDiscrete masks may come as one array per dimension."""
    if isinstance(mask, (tuple, list)) and mask and not np.isscalar(mask[0]):
        return np.concatenate([np.asarray(m, dtype=bool).reshape(-1) for m in mask])
    return np.asarray(mask, dtype=bool).reshape(-1)
