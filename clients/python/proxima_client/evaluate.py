"""Evaluating a trained policy in your own environment, with actions from ``/act``."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote
from typing import Any, Callable

import gymnasium as gym
import numpy as np

from .spaces import action_mapping, flatten_mask, observation_mapping
from .transport import Transport


@dataclass
class Evaluation:
    returns: list[float] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)

    @property
    def mean(self) -> float:
        return float(np.mean(self.returns)) if self.returns else float("nan")

    @property
    def std(self) -> float:
        return float(np.std(self.returns)) if self.returns else float("nan")


def evaluate(url: str, job_id: str, env: gym.Env, *, episodes: int = 10, seed: int | None = None,
             deterministic: bool = True, checkpoint: str | None = None, action_masks: bool | None = None,
             transport: Transport | None = None, max_episode_steps: int | None = None,
             on_episode: Callable[[int, float, int], None] | None = None) -> Evaluation:
    """Run ``episodes`` episodes of ``env`` with the job's policy and return their returns.

    The first reset is seeded with ``seed`` (later ones carry on from the environment's
    generator). Masks are sent when ``action_masks`` is true, or, when it is ``None``, whenever
    the info has an ``"action_mask"``. ``checkpoint`` is ``latest`` (default), ``best`` or an
    iteration.
    """
    t = transport or Transport(url)
    obs_map = observation_mapping(env.observation_space)
    act_map = action_mapping(env.action_space)
    path = f"/api/policies/{quote(job_id, safe='')}/act"
    if checkpoint is not None:
        path += f"?checkpoint={quote(str(checkpoint), safe='')}"
    result = Evaluation()
    for episode in range(episodes):
        obs, info = env.reset(seed=seed if episode == 0 else None)
        total, length, done = 0.0, 0, False
        while not done:
            body: dict[str, Any] = {"observation": obs_map.encode(obs), "deterministic": bool(deterministic)}
            use_mask = action_masks if action_masks is not None else "action_mask" in info
            if use_mask:
                body["actionMask"] = flatten_mask(info["action_mask"]).tolist()
            answer = t.json("POST", path, body)
            obs, reward, terminated, truncated, info = env.step(act_map.decode(answer["action"]))
            total += float(reward)
            length += 1
            done = terminated or truncated or (max_episode_steps is not None and length >= max_episode_steps)
        result.returns.append(total)
        result.lengths.append(length)
        if on_episode:
            on_episode(episode, total, length)
    return result
