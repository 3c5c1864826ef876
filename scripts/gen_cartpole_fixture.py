#!/usr/bin/env python3
"""Records CartPole-v1 episodes from Gymnasium as a fixture for CartPoleTest.

Episodes mix uniformly random actions (which fall over within a few dozen steps) with a
simple epsilon-greedy heuristic controller (which can balance the pole until the 500-step
time limit). A couple of short episodes keep stepping after termination to record
Gymnasium's reward of 0.0 there.

Usage: python3 scripts/gen_cartpole_fixture.py [output.json]
"""
import json
import sys
import warnings
from pathlib import Path

import gymnasium as gym
import numpy as np

SEED = 20240607
EPISODES = 20
MAX_TRUNCATED_EPISODES = 3
STEPS_AFTER_TERMINATION = 3
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "src/test/resources/fixtures/cartpole-v1.json"
)


def floats(array):
    """float32 (or float64) values as Python floats, which json writes round-trip exact."""
    return np.asarray(array, dtype=np.float64).tolist()


def choose_action(obs, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(2))
    theta, theta_dot = float(obs[2]), float(obs[3])
    return 1 if theta + 0.5 * theta_dot > 0 else 0


def record_episode(env, seed, epsilon, rng, steps_after_termination):
    obs, _ = env.reset(seed=seed)
    episode = {
        "seed": seed,
        "epsilon": epsilon,
        "initial_state": floats(env.unwrapped.state),
        "initial_observation": floats(obs),
        "steps": [],
    }
    extra = 0
    while True:
        action = choose_action(obs, epsilon, rng)
        obs, reward, terminated, truncated, _ = env.step(action)
        episode["steps"].append(
            {
                "action": action,
                "observation": floats(obs),
                "reward": float(reward),
                "terminated": bool(terminated),
                "truncated": bool(truncated),
            }
        )
        if truncated:
            break
        if terminated:
            if extra == steps_after_termination:
                break
            extra += 1
    return episode


def main():
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUTPUT
    # Gymnasium warns about stepping after termination, which we do on purpose.
    warnings.simplefilter("ignore")
    env = gym.make("CartPole-v1")
    rng = np.random.default_rng(SEED)

    episodes = []
    truncated_count = 0
    attempt = 0
    while len(episodes) < EPISODES:
        epsilon = 1.0 if attempt % 3 == 0 else [0.05, 0.1, 0.2, 0.3][attempt % 4]
        after = STEPS_AFTER_TERMINATION if attempt % 7 == 0 else 0
        episode = record_episode(env, SEED + attempt, epsilon, rng, after)
        attempt += 1
        reached_limit = episode["steps"][-1]["truncated"]
        if reached_limit and truncated_count == MAX_TRUNCATED_EPISODES:
            continue  # keep the fixture small
        truncated_count += reached_limit
        episodes.append(episode)

    if truncated_count < 2:
        raise SystemExit(f"only {truncated_count} episodes reached the time limit")

    spec = env.spec
    fixture = {
        "gymnasium_version": gym.__version__,
        "numpy_version": np.__version__,
        "env_id": spec.id,
        "max_episode_steps": spec.max_episode_steps,
        "reward_threshold": spec.reward_threshold,
        # Infinite bounds are written as Infinity / -Infinity.
        "observation_low": floats(env.observation_space.low),
        "observation_high": floats(env.observation_space.high),
        "action_n": int(env.action_space.n),
        "episodes": episodes,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
        f.write("\n")
    lengths = [len(e["steps"]) for e in episodes]
    print(f"wrote {output}: {len(episodes)} episodes, lengths {lengths}, "
          f"{truncated_count} truncated")


if __name__ == "__main__":
    main()
