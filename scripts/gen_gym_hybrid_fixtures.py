#!/usr/bin/env python3
"""Records Moving-v0 and Sliding-v0 episodes from gym-hybrid's own Python code
(thomashirtz/gym-hybrid: gym_hybrid/environments.py and gym_hybrid/agents.py) as fixtures for
src/test/java/dev/proxima/env/GymHybridReplayTest.

gym-hybrid imports the old `gym` package, which is not installed (and whose API Gymnasium has
changed). Before importing gym_hybrid, a small stand-in module `gym` is put into sys.modules
with just the names gym-hybrid uses: gym.Env (an empty base class: BaseEnv overrides everything
it calls), gym.spaces (Gymnasium's Discrete and Tuple, and a Box that is Gymnasium's unless the
bounds are inverted, see below), gym.utils.seeding.np_random (Gymnasium's), gym.logger.set_level
(a no-op) and gym.envs.registration.register (which only notes the ids and entry points
gym_hybrid/__init__.py registers). The dynamics, the rewards and the resets are gym-hybrid's own
code, unmodified; the fixture records the sha256 of the two files. One detail of the stand-in:
gym-hybrid declares its observation space as Box(low=ones(10), high=-ones(10)), low above high,
which the old gym accepted silently and Gymnasium 1.x refuses with a ValueError; the stand-in's
Box keeps such a declaration as a plain record of the bounds (it is only written to the fixture,
never used).

The environments are made as gym_hybrid registers them (MovingEnv(), SlidingEnv(), default
parameters), one instance per id for all its episodes, each episode seeded with env.seed(seed)
and then env.reset(). One instance matters for Sliding-v0: SlidingAgent sets phi (the velocity's
direction) to 0 on construction and BaseAgent.reset does not touch it, so an episode starts with
the phi the previous one ended with; the fixture records it in each initial state.

Episodes mix random actions (types uniform or weighted, parameters drawn beyond their bounds
[0, 1] and [-1, 1] so that the environment's clamping is exercised, with some exact 0.0, -0.0,
+-1.0, +-1e300 and +-inf; one episode starts with each of those for both parameters, and with
accelerations by -0.0 at rest) and a heuristic controller (turn toward the target, accelerate to
a speed that the remaining distance allows, brake to a stop inside the target; some with random
actions mixed in, some steering while moving), so that the three ways an episode ends all occur:
stopping in the target (the +1 bonus), leaving the field (-1) and the step count exceeding
max_step = 200 (-1, on step 201). Only the first 3 time-outs (201 steps each) are kept, to keep
each file well under 1.5 MB; a left-out episode still ran on the same instance (so the seeds of
the kept episodes show where one is missing).

Per episode: the seed, the policy, how it ended, the internal state after reset, the first
observation and, per step, the action (type and both parameters, as passed to env.step), the
observation, the reward, done and the internal state after the step, which lets a test check
each step on its own. The internal state is
  Moving-v0:  [agent.x, agent.y, agent.speed, agent.theta, target.x, target.y, current_step]
  Sliding-v0: [agent.x, agent.y, agent.speed, agent.theta, agent.phi, target.x, target.y,
               current_step]
all written as Python floats (repr, so they read back bit for bit; infinite parameters as
Infinity). The output is the same on every run.

Usage: python3 scripts/gen_gym_hybrid_fixtures.py [gym_hybrid_dir [output_dir]]
       (defaults: /work/gym-hybrid and src/test/resources/fixtures; needs gymnasium and numpy)
"""
import hashlib
import json
import math
import platform
import sys
import types
import warnings
from pathlib import Path

import gymnasium
import numpy as np

SEED = 20240612
DEFAULT_GYM_HYBRID_DIR = Path("/work/gym-hybrid")
DEFAULT_OUTPUT_DIR = (
    Path(__file__).resolve().parent.parent / "src/test/resources/fixtures"
)
MAX_FILE_BYTES = 1_500_000

REGISTERED = {}


# --- the stand-in for the old gym API that gym-hybrid imports --------------------------------


class DeclaredBox:
    """A Box declaration that Gymnasium refuses (low above high), kept as given."""

    def __init__(self, low, high, dtype):
        self.low = np.asarray(low, dtype=dtype)
        self.high = np.asarray(high, dtype=dtype)
        self.shape = self.low.shape
        self.dtype = np.dtype(dtype)


def box(low, high, shape=None, dtype=np.float32):
    try:
        return gymnasium.spaces.Box(low, high, shape, dtype)
    except ValueError:
        return DeclaredBox(low, high, dtype)


def install_gym_shim():
    gym = types.ModuleType("gym")
    gym.__path__ = []  # a package, so that "from gym.x import y" looks up sys.modules

    class Env:
        """gym.Env as far as gym-hybrid uses it: a base class whose methods it overrides."""

    gym.Env = Env

    spaces = types.ModuleType("gym.spaces")
    spaces.Discrete = gymnasium.spaces.Discrete
    spaces.Tuple = gymnasium.spaces.Tuple
    spaces.Box = box

    utils = types.ModuleType("gym.utils")
    utils.__path__ = []
    seeding = types.ModuleType("gym.utils.seeding")
    seeding.np_random = gymnasium.utils.seeding.np_random
    utils.seeding = seeding

    logger = types.ModuleType("gym.logger")
    logger.set_level = lambda level: None

    envs = types.ModuleType("gym.envs")
    envs.__path__ = []
    registration = types.ModuleType("gym.envs.registration")

    def register(id, entry_point, **kwargs):  # noqa: A002 (gym's parameter name)
        REGISTERED[id] = entry_point

    registration.register = register
    envs.registration = registration

    gym.spaces, gym.utils, gym.logger, gym.envs = spaces, utils, logger, envs
    for module in (gym, spaces, utils, seeding, logger, envs, registration):
        sys.modules[module.__name__] = module


def import_gym_hybrid(source_dir):
    install_gym_shim()
    sys.path.insert(0, str(source_dir))
    import gym_hybrid  # noqa: F401 (registers the ids)
    import gym_hybrid.environments as environments

    if not Path(environments.__file__).resolve().is_relative_to(Path(source_dir).resolve()):
        raise SystemExit(f"imported {environments.__file__}, not the code in {source_dir}")
    return environments


# --- state, endings --------------------------------------------------------------------------


def floats(values):
    return [float(v) for v in values]


def internal_state(env):
    agent, target = env.agent, env.target
    values = [agent.x, agent.y, agent.speed, agent.theta]
    if agent.phi is not None:
        values.append(agent.phi)
    return floats(values + [target.x, target.y, env.current_step])


def ending(env, done):
    """Which of BaseEnv.step's endings the last step took (in the order step tests them)."""
    if not done:
        return None
    if env.distance < env.target_radius and env.agent.speed == 0:
        return "goal"
    if abs(env.agent.x) > env.field_size or abs(env.agent.y) > env.field_size:
        return "out_of_field"
    if env.current_step > env.max_step:
        return "time_out"
    raise AssertionError("done without an ending")


# --- policies: each takes (obs, rng) and returns (type, [acceleration, rotation]) ------------

SPECIAL = [0.0, -0.0, 1.0, -1.0, math.inf, -math.inf, 1e300, -1e300]


def parameter(rng, low, high):
    if rng.random() < 0.05:
        return SPECIAL[int(rng.integers(len(SPECIAL)))]
    return float(rng.uniform(low, high))


def random_action(obs, rng, type_weights=(1, 1, 1)):
    p = np.asarray(type_weights, dtype=float)
    action_type = int(rng.choice(3, p=p / p.sum()))
    return action_type, [parameter(rng, -0.5, 1.5), parameter(rng, -1.5, 1.5)]


def random_policy(type_weights=(1, 1, 1)):
    return lambda obs, rng: random_action(obs, rng, type_weights)


def wrap(angle):
    return (angle + math.pi) % (2 * math.pi) - math.pi


def controller(max_speed, eps=0.0, stop_margin=0.03, aim=0.05, brake_to_turn=True):
    """Turns toward the target (after braking to a stop, unless brake_to_turn is False: then it
    steers while moving, which Sliding's inertia does not follow), accelerates up to a speed it
    can brake from before the target, and brakes to a stop; with probability eps a random action
    instead."""
    max_turn, max_acceleration, break_value, delta_t = math.pi / 2, 0.5, 0.1, 0.005

    def braking_distance(speed):
        # distance covered while braking from speed to 0 in steps of break_value
        steps = math.ceil(speed / break_value)
        return delta_t * sum(max(speed - break_value * k, 0.0) for k in range(1, steps + 1))

    def act(obs, rng):
        if rng.random() < eps:
            return random_action(obs, rng)
        x, y, speed, cos_t, sin_t, tx, ty, distance = (float(v) for v in obs[:8])
        error = wrap(math.atan2(ty - y, tx - x) - math.atan2(sin_t, cos_t))
        free = [float(rng.uniform(-1, 1)), float(rng.uniform(-1, 1))]  # the unused parameter
        if distance - braking_distance(speed) < stop_margin or (
            brake_to_turn and abs(error) > aim and speed > 0
        ):
            return 2, free  # brake
        if abs(error) > aim and distance > 0.06:
            return 1, [free[0], max(-1.0, min(1.0, error / max_turn))]
        wanted = min(max_speed, speed + max_acceleration)
        if distance - braking_distance(wanted) < stop_margin:
            return 2, free
        return 0, [(wanted - speed) / max_acceleration, free[1]]

    return act


def accelerate_first(steps, policy):
    """Accelerates along the initial heading for a few steps, then follows policy."""
    count = {"t": 0}

    def act(obs, rng):
        count["t"] += 1
        return (0, [0.5, 0.0]) if count["t"] <= steps else policy(obs, rng)

    return act


EDGE_ACTIONS = [
    # at rest, an acceleration of -0.0 (kept by Python's max(-0.0, 0)) facing four ways: for
    # Sliding, where cos(phi - theta) < 0 that makes arctan2(+-0, -0.0) = +-pi the new phi
    (0, [-0.0, 0.3]),
    (1, [0.2, 1.0]),
    (0, [-0.0, -0.3]),
    (1, [0.1, 1.0]),
    (0, [-0.0, 0.0]),
    (1, [0.0, 1.0]),
    (0, [-0.0, 0.0]),
    (0, [0.0, 0.0]),
    # every special parameter value for both parameterized types
    *[(1, [0.0, v]) for v in SPECIAL],
    *[(0, [v, 0.0]) for v in SPECIAL],
]


def edge_values_first(policy):
    """The EDGE_ACTIONS one after the other, then policy."""
    count = {"t": 0}

    def act(obs, rng):
        count["t"] += 1
        return EDGE_ACTIONS[count["t"] - 1] if count["t"] <= len(EDGE_ACTIONS) else policy(obs, rng)

    return act


# --- recording -------------------------------------------------------------------------------


def record_episode(env, seed, name, policy, rng):
    env.seed(seed)
    obs = env.reset()
    episode = {
        "seed": seed,
        "policy": name,
        "initial_state": internal_state(env),
        "initial_observation": floats(obs),
        "steps": [],
    }
    done = False
    while not done:
        action_type, parameters = policy(obs, rng)
        obs, reward, done, _ = env.step((action_type, parameters))
        episode["steps"].append(
            {
                "type": action_type,
                "parameters": floats(parameters),
                "observation": floats(obs),
                "reward": float(reward),
                "done": bool(done),
                "state": internal_state(env),
            }
        )
    episode["ending"] = ending(env, done)
    return episode


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def record(env_id, make, plans, max_time_outs, source_dir, output_dir):
    env = make()
    rng = np.random.default_rng(SEED + sum(map(ord, env_id)))
    episodes = []
    for attempt, (name, policy) in enumerate(plans):
        episode = record_episode(env, SEED + attempt, name, policy, rng)
        if episode["ending"] == "time_out" and sum(
            e["ending"] == "time_out" for e in episodes
        ) == max_time_outs:
            continue  # keep the fixture small (the env's state still carries on: Sliding's phi)
        episodes.append(episode)

    counts = {k: sum(e["ending"] == k for e in episodes) for k in ("goal", "out_of_field", "time_out")}
    for kind, count in counts.items():
        if count == 0:
            raise SystemExit(f"{env_id}: no episode ending with {kind}")
    space = env.observation_space
    fixture = {
        "env_id": env_id,
        "entry_point": REGISTERED[env_id],
        "source_sha256": {
            name: sha256(source_dir / "gym_hybrid" / name) for name in ("environments.py", "agents.py")
        },
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "gymnasium_version": gymnasium.__version__,
        "constants": {
            "max_turn": env.max_turn,
            "max_acceleration": env.max_acceleration,
            "break_value": env.break_value,
            "delta_t": env.delta_t,
            "max_step": env.max_step,
            "field_size": env.field_size,
            "target_radius": env.target_radius,
            "penalty": env.penalty,
        },
        "action_n": int(env.action_space[0].n),
        "parameter_low": floats(env.action_space[1].low),
        "parameter_high": floats(env.action_space[1].high),
        "declared_observation_low": floats(space.low),
        "declared_observation_high": floats(space.high),
        "endings": counts,
        "episodes": episodes,
    }
    output = output_dir / f"{env_id.lower()}.json"
    text = json.dumps(fixture, separators=(",", ":")) + "\n"
    if len(text) >= MAX_FILE_BYTES:
        raise SystemExit(f"{env_id}: fixture is {len(text)} bytes")
    output.write_text(text)
    summary = [(len(e["steps"]), e["ending"]) for e in episodes]
    print(f"wrote {output} ({len(text)} bytes): {len(episodes)} episodes {counts} {summary}")


def plans():
    """(name, policy) pairs, recorded in turn; new policies for each environment (some count steps)."""
    return [
        ("controller v=2.5", controller(2.5)),
        ("random", random_policy()),
        ("controller v=1.5 eps=0.1", controller(1.5, eps=0.1)),
        ("random, mostly turning", random_policy((1, 4, 1))),
        ("controller v=3", controller(3.0)),
        ("controller v=2 eps=0.3", controller(2.0, eps=0.3)),
        ("random, mostly braking", random_policy((1, 1, 4))),
        ("controller v=2", controller(2.0)),
        ("controller v=1 eps=0.05", controller(1.0, eps=0.05)),
        ("random", random_policy()),
        ("controller v=2.5 eps=0.2", controller(2.5, eps=0.2)),
        ("controller v=4", controller(4.0)),
        ("random, mostly accelerating", random_policy((4, 1, 1))),
        ("controller v=1.5", controller(1.5)),
        ("controller v=0.5", controller(0.5)),
        ("controller v=2 eps=0.1", controller(2.0, eps=0.1)),
        (
            "accelerate 4 steps, then controller v=2 steering while moving",
            accelerate_first(4, controller(2.0, brake_to_turn=False)),
        ),
        ("controller v=1.5 eps=0.1 steering while moving", controller(1.5, eps=0.1, brake_to_turn=False)),
        ("edge values, then controller v=2", edge_values_first(controller(2.0))),
    ]


def main():
    source_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_GYM_HYBRID_DIR
    output_dir = Path(sys.argv[2]) if len(sys.argv) > 2 else DEFAULT_OUTPUT_DIR
    output_dir.mkdir(parents=True, exist_ok=True)
    warnings.simplefilter("ignore")  # Gymnasium's Box warns about casting the bounds to float32
    environments = import_gym_hybrid(source_dir)
    record("Moving-v0", environments.MovingEnv, plans(), 3, source_dir, output_dir)
    record("Sliding-v0", environments.SlidingEnv, plans(), 3, source_dir, output_dir)


if __name__ == "__main__":
    main()
