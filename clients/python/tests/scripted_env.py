"""An environment whose episode ends are known in advance, and the protocol stream it must produce.

Copy ``c``'s observation is ``[c, episode, t, seed]`` (``seed`` is the seed of the reset that
started the episode, -1 when unseeded). Its reward is the action it received plus 0.25, so
the stream shows which action was applied (``start`` included). Episode ``e`` lasts
``schedule[e % len(schedule)] = (length, kind)`` steps and ends ``kind``: "term", "trunc" or
"both".
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np


class ScriptedEnv(gym.Env):
    metadata = {"render_modes": []}

    def __init__(self, copy: int, schedule, start: int = 0, masks: bool = False):
        self.copy = copy
        self.schedule = schedule
        self.observation_space = gym.spaces.Box(-np.inf, np.inf, (4,), np.float64)
        self.action_space = gym.spaces.Discrete(3, start=start)
        self.masks = masks
        self.episode = -1
        self.t = 0
        self.seed_mark = -1
        self.closed = False
        self.applied: list[int] = []

    def _obs(self):
        return np.array([self.copy, self.episode, self.t, self.seed_mark], dtype=np.float64)

    def _info(self):
        if not self.masks:
            return {}
        mask = np.ones(3, dtype=np.int8)
        mask[(self.episode + self.t) % 3] = 0  # one action forbidden, changing every step
        return {"action_mask": mask}

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.episode += 1
        self.t = 0
        self.seed_mark = -1 if seed is None else seed
        return self._obs(), self._info()

    def step(self, action):
        assert self.action_space.contains(action), action
        if self.masks:
            assert int(action) - self.action_space.start != (self.episode + self.t) % 3, "a masked action was applied"
        self.applied.append(int(action))
        self.t += 1
        length, kind = self.schedule[self.episode % len(self.schedule)]
        done = self.t >= length
        terminated = done and kind in ("term", "both")
        truncated = done and kind in ("trunc", "both")
        return self._obs(), float(action) + 0.25, terminated, truncated, self._info()

    def close(self):
        self.closed = True


def expected_stream(schedules, actions, first_obs, start=0, masks=False):
    """The step bodies (sequence 1..len(actions)) a correct runner sends.

    ``actions[n]`` are the service's answers to sequence ``n``; ``first_obs`` the sequence-0
    observations (they give each copy's episode number and seed at attach).
    """
    k = len(first_obs)
    state = [[int(o[1]), 0] for o in first_obs]  # episode, t
    bodies = []
    for n, acts in enumerate(actions):
        obs, rewards, terms, truncs, finals, mask_rows = [], [], [], [], {}, []
        for i in range(k):
            e, t = state[i]
            mark = first_obs[i][3] if e == int(first_obs[i][1]) else -1
            rewards.append(float(acts[i] + start) + 0.25)
            t += 1
            length, kind = schedules[i][e % len(schedules[i])]
            term = t >= length and kind in ("term", "both")
            trunc = t >= length and kind in ("trunc", "both")
            terms.append(term)
            truncs.append(trunc)
            if trunc and not term:
                finals[str(i)] = [float(i), float(e), float(t), float(mark)]
            if term or trunc:
                e, t, mark = e + 1, 0, -1
            state[i] = [e, t]
            obs.append([float(i), float(e), float(t), float(mark)])
            if masks:
                m = [True] * 3
                m[(e + t) % 3] = False
                mask_rows.append(m)
        body = {"sequence": n + 1, "observations": obs, "rewards": rewards, "terminated": terms,
                "truncated": truncs, "finalObservations": finals}
        if masks:
            body["actionMasks"] = mask_rows
        bodies.append(body)
    return bodies
