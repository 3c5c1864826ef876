#!/usr/bin/env python3
"""Records Acrobot-v1, MountainCar-v0, MountainCarContinuous-v0 and Pendulum-v1 episodes from
Gymnasium as fixtures for the env tests (src/test/java/dev/proxima/env/ClassicControlReplayTest).

Each environment is made with gym.make, so Gymnasium's TimeLimit applies. Episodes mix random
actions with simple heuristic controllers so that both terminations (where the environment can
terminate) and time-limit truncations are recorded:

- Acrobot-v1: random actions (usually truncated at 500 steps) and pumping, a torque against the
  sign of the first joint's velocity (terminates); some episodes step on after termination.
- MountainCar-v0: random actions (truncated at 200) and energy pumping, 2 if velocity > 0 else 0
  (reaches the flag), some starting with a push to the left wall, where the velocity is reset.
- MountainCarContinuous-v0: random forces and energy pumping, both including values outside
  [-1, 1], which the environment clips (while the cost uses the unclipped action).
- Pendulum-v1: random torques and an energy-pumping swing-up with a PD controller near the top,
  both including values outside [-2, 2]; Pendulum never terminates, so all episodes truncate.

Per episode: the seed, the policy, the internal state after reset (env.unwrapped.state as
float64), the first observation and, per step, the action (an int for Discrete, the float32
value for Box), the observation (float32 values), the reward, terminated, truncated and the
internal state after the step (float64), which lets a test check each step on its own.
Only a few long episodes are kept per environment to keep each file well under 1.5 MB.

Usage: python3 scripts/gen_classic_control_fixtures.py [output_dir]
"""
import json
import sys
import warnings
from pathlib import Path

import gymnasium as gym
import numpy as np

SEED = 20240611
DEFAULT_OUTPUT_DIR = (
    Path(__file__).resolve().parent.parent / "src/test/resources/fixtures"
)
MAX_FILE_BYTES = 1_500_000


def floats(values):
    """float32 (or float64) values as Python floats, which json writes round-trip exact."""
    return np.asarray(values, dtype=np.float64).ravel().tolist()


# --- policies: each takes (obs, rng) and returns the action to pass to env.step ---------------


def random_discrete(n):
    return lambda obs, rng: int(rng.integers(n))


def epsilon(policy, eps, n):
    def act(obs, rng):
        if rng.random() < eps:
            return int(rng.integers(n))
        return policy(obs, rng)

    return act


def acrobot_pump(obs, rng):
    # torque against the first joint's angular velocity (with it, the links never swing up)
    return 0 if obs[4] > 0 else 2


def mountain_car_pump(obs, rng):
    return 2 if obs[1] > 0 else 0


def left_then(policy, steps):
    count = {"t": 0}

    def act(obs, rng):
        count["t"] += 1
        return 0 if count["t"] <= steps else policy(obs, rng)

    return act


def box_action(value):
    """A Box action as Gymnasium gets it from a float32 policy."""
    return np.array([value], dtype=np.float32)


def random_box(low, high):
    return lambda obs, rng: box_action(rng.uniform(low, high))


def continuous_pump(magnitude, noise):
    def act(obs, rng):
        direction = 1.0 if obs[1] >= 0 else -1.0
        return box_action(direction * magnitude + noise * rng.standard_normal())

    return act


def pendulum_swing_up(noise):
    def act(obs, rng):
        cos_th, sin_th, thdot = float(obs[0]), float(obs[1]), float(obs[2])
        if cos_th > 0.8:
            # near the top: PD on the angle from upright (often beyond +-2, clipped by the env)
            u = -(12.0 * np.arctan2(sin_th, cos_th) + 2.5 * thdot)
        else:
            # pump energy: push along the angular velocity, with more than the limit at times
            u = 2.6 if thdot >= 0 else -2.6
        return box_action(u + noise * rng.standard_normal())

    return act


# --- recording ---------------------------------------------------------------------------------


def state_of(env):
    return floats(env.unwrapped.state)


def record_episode(env, seed, name, policy, rng, steps_after_termination=0):
    obs, _ = env.reset(seed=seed)
    episode = {
        "seed": seed,
        "policy": name,
        "initial_state": state_of(env),
        "initial_observation": floats(obs),
        "steps": [],
    }
    extra = 0
    while True:
        action = policy(obs, rng)
        obs, reward, terminated, truncated, _ = env.step(action)
        episode["steps"].append(
            {
                "action": action if isinstance(action, int) else float(action[0]),
                "observation": floats(obs),
                "reward": float(reward),
                "terminated": bool(terminated),
                "truncated": bool(truncated),
                "state": state_of(env),
            }
        )
        if truncated:
            break
        if terminated:
            if extra == steps_after_termination:
                break
            extra += 1
    return episode


def space_fields(prefix, space):
    if isinstance(space, gym.spaces.Discrete):
        return {prefix + "_n": int(space.n)}
    return {
        prefix + "_shape": list(space.shape),
        prefix + "_low": floats(space.low),
        prefix + "_high": floats(space.high),
    }


def record(env_id, plans, max_truncated, checks, output_dir):
    """plans: (name, policy, steps_after_termination) tuples, recorded in turn."""
    env = gym.make(env_id)
    rng = np.random.default_rng(SEED + sum(map(ord, env_id)))
    episodes = []
    truncated_count = 0
    for attempt, (name, policy, after) in enumerate(plans):
        episode = record_episode(env, SEED + attempt, name, policy, rng, after)
        reached_limit = episode["steps"][-1]["truncated"]
        if reached_limit and truncated_count == max_truncated:
            continue  # keep the fixture small
        truncated_count += reached_limit
        episodes.append(episode)

    spec = env.spec
    fixture = {
        "gymnasium_version": gym.__version__,
        "numpy_version": np.__version__,
        "env_id": spec.id,
        "max_episode_steps": spec.max_episode_steps,
        "reward_threshold": spec.reward_threshold,
        **space_fields("observation", env.observation_space),
        **space_fields("action", env.action_space),
        "episodes": episodes,
    }
    for description, check in checks:
        if not check(episodes):
            raise SystemExit(f"{env_id}: no episode {description}")
    output = output_dir / f"{env_id.lower()}.json"
    text = json.dumps(fixture, separators=(",", ":")) + "\n"
    if len(text) >= MAX_FILE_BYTES:
        raise SystemExit(f"{env_id}: fixture is {len(text)} bytes")
    output.write_text(text)
    summary = [
        (len(e["steps"]), "T" if any(s["terminated"] for s in e["steps"]) else "-")
        for e in episodes
    ]
    print(f"wrote {output} ({len(text)} bytes): {len(episodes)} episodes {summary}")


def any_terminated(episodes):
    return any(s["terminated"] for e in episodes for s in e["steps"])


def any_truncated(episodes):
    return any(e["steps"][-1]["truncated"] for e in episodes)


def any_step_after_termination(episodes):
    return any(
        len([s for s in e["steps"] if s["terminated"]]) > 1
        or (e["steps"][-1]["terminated"] is False and any(s["terminated"] for s in e["steps"]))
        for e in episodes
    )


def any_action_out_of(low, high):
    return lambda episodes: any(
        not low <= s["action"] <= high for e in episodes for s in e["steps"]
    )


def any_left_wall_stop(episodes):
    return any(s["state"][0] == -1.2 and s["state"][1] == 0 for e in episodes for s in e["steps"])


def main():
    output_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT_DIR
    output_dir.mkdir(parents=True, exist_ok=True)
    # Gymnasium warns about stepping after termination, which some episodes do on purpose.
    warnings.simplefilter("ignore")

    record(
        "Acrobot-v1",
        [
            ("random", random_discrete(3), 0),
            ("pump", acrobot_pump, 3),
            ("pump eps=0.2", epsilon(acrobot_pump, 0.2, 3), 0),
            ("random", random_discrete(3), 0),
            ("pump eps=0.5", epsilon(acrobot_pump, 0.5, 3), 0),
            ("pump", acrobot_pump, 0),
            ("pump eps=0.1", epsilon(acrobot_pump, 0.1, 3), 2),
            ("random", random_discrete(3), 0),
            ("pump eps=0.3", epsilon(acrobot_pump, 0.3, 3), 0),
            ("pump eps=0.7", epsilon(acrobot_pump, 0.7, 3), 0),
            ("pump eps=0.05", epsilon(acrobot_pump, 0.05, 3), 0),
        ],
        max_truncated=3,
        checks=[
            ("terminated", any_terminated),
            ("truncated", any_truncated),
            ("stepped after termination", any_step_after_termination),
        ],
        output_dir=output_dir,
    )
    record(
        "MountainCar-v0",
        [
            ("random", random_discrete(3), 0),
            ("pump", mountain_car_pump, 3),
            ("left 25 then pump", left_then(mountain_car_pump, 25), 0),
            ("pump eps=0.2", epsilon(mountain_car_pump, 0.2, 3), 0),
            ("random", random_discrete(3), 0),
            ("left 40 then pump", left_then(mountain_car_pump, 40), 2),
            ("pump eps=0.4", epsilon(mountain_car_pump, 0.4, 3), 0),
            ("pump", mountain_car_pump, 0),
            ("pump eps=0.1", epsilon(mountain_car_pump, 0.1, 3), 0),
            ("pump eps=0.8", epsilon(mountain_car_pump, 0.8, 3), 0),
            ("left 60 then pump", left_then(mountain_car_pump, 60), 0),
        ],
        max_truncated=4,
        checks=[
            ("terminated", any_terminated),
            ("truncated", any_truncated),
            ("stopped at the left wall", any_left_wall_stop),
        ],
        output_dir=output_dir,
    )
    record(
        "MountainCarContinuous-v0",
        [
            ("random in [-1.5, 1.5]", random_box(-1.5, 1.5), 0),
            ("pump 1.0 noise 0.3", continuous_pump(1.0, 0.3), 0),
            ("pump 1.2 noise 0.2", continuous_pump(1.2, 0.2), 2),
            ("pump 0.8 noise 0.5", continuous_pump(0.8, 0.5), 0),
            ("random in [-1.5, 1.5]", random_box(-1.5, 1.5), 0),
            ("pump 1.0 noise 0.0", continuous_pump(1.0, 0.0), 0),
            ("pump 0.6 noise 0.1", continuous_pump(0.6, 0.1), 0),
            ("pump 1.5 noise 0.5", continuous_pump(1.5, 0.5), 0),
            ("pump 0.9 noise 0.05", continuous_pump(0.9, 0.05), 0),
            ("pump 0.3 noise 0.6", continuous_pump(0.3, 0.6), 0),
            ("pump 1.1 noise 0.3", continuous_pump(1.1, 0.3), 0),
        ],
        max_truncated=3,
        checks=[
            ("terminated", any_terminated),
            ("truncated", any_truncated),
            ("with an action below -1 or above 1", any_action_out_of(-1.0, 1.0)),
        ],
        output_dir=output_dir,
    )
    record(
        "Pendulum-v1",
        [
            ("random in [-3, 3]", random_box(-3.0, 3.0), 0),
            ("swing-up noise 0.1", pendulum_swing_up(0.1), 0),
            ("swing-up noise 0.5", pendulum_swing_up(0.5), 0),
            ("random in [-3, 3]", random_box(-3.0, 3.0), 0),
            ("swing-up noise 0.0", pendulum_swing_up(0.0), 0),
            ("swing-up noise 1.0", pendulum_swing_up(1.0), 0),
            ("random in [-2, 2]", random_box(-2.0, 2.0), 0),
            ("swing-up noise 0.2", pendulum_swing_up(0.2), 0),
            ("swing-up noise 2.0", pendulum_swing_up(2.0), 0),
            ("random in [-3, 3]", random_box(-3.0, 3.0), 0),
        ],
        max_truncated=10,
        checks=[
            ("truncated", any_truncated),
            ("with an action below -2 or above 2", any_action_out_of(-2.0, 2.0)),
        ],
        output_dir=output_dir,
    )


if __name__ == "__main__":
    main()
