#!/usr/bin/env python3
"""Drives a trained Proxima policy from Gymnasium's own environments, as an outside client would.

Submits rl-zoo's configuration for ENV_ID (or takes --job), waits for the job, then plays
episodes in Gymnasium, sending raw observations to /act. For each episode it also plays the
service's own environment through the sessions API, reset to the state Gymnasium's reset drew
(the service's generators are not numpy's, so equal seeds do not give equal starts), and
reports both returns next to the return training reported (rollout/ep_rew_mean).

    python3 scripts/gym_client_check.py Pendulum-v1 [--url http://localhost:8080] [--episodes 20]

Needs gymnasium (pip install gymnasium); not a dependency of the service.
"""
import argparse
import json
import os
import statistics
import sys
import time
import urllib.request

import gymnasium as gym

ZOO = {
    "CartPole-v1": (8, 100_000, {"learningRate": 0.001, "learningRateSchedule": "linear", "nSteps": 32,
                                 "batchSize": 256, "nEpochs": 20, "gamma": 0.98, "gaeLambda": 0.8,
                                 "clipRange": 0.2, "clipRangeSchedule": "linear"}),
    "Acrobot-v1": (16, 1_000_000, {"normalizeObservations": True, "normalizeReward": True, "nSteps": 256,
                                   "gaeLambda": 0.94, "gamma": 0.99, "nEpochs": 4}),
    "MountainCar-v0": (16, 1_000_000, {"normalizeObservations": True, "normalizeReward": True, "nSteps": 16,
                                       "gaeLambda": 0.98, "gamma": 0.99, "nEpochs": 4}),
    "MountainCarContinuous-v0": (1, 20_000, {"normalizeObservations": True, "normalizeReward": True, "nSteps": 8,
                                             "batchSize": 8, "gamma": 0.9999, "learningRate": 7.77e-5,
                                             "entCoef": 0.00429, "clipRange": 0.1, "nEpochs": 10,
                                             "gaeLambda": 0.9, "maxGradNorm": 5.0, "vfCoef": 0.19,
                                             "useSde": True, "logStdInit": -3.29, "orthoInit": False}),
    "Pendulum-v1": (4, 100_000, {"nSteps": 1024, "gaeLambda": 0.95, "gamma": 0.9, "nEpochs": 10,
                                 "learningRate": 1e-3, "clipRange": 0.2, "useSde": True, "sdeSampleFreq": 4}),
}


def call(url, method="GET", body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}
    if os.environ.get("PROXIMA_API_KEY"):
        headers["Authorization"] = f"Bearer {os.environ['PROXIMA_API_KEY']}"
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(request) as response:
        text = response.read()
        return json.loads(text) if text else None


def submit(base, env_id, seed):
    num_envs, steps, hyperparameters = ZOO[env_id]
    job = call(f"{base}/api/jobs", "POST", {"name": f"gym-client-{env_id}", "seed": seed,
                                             "environment": {"id": env_id, "numEnvs": num_envs},
                                             "totalTimesteps": steps, "hyperparameters": hyperparameters})
    return job["id"]


def wait(base, job_id):
    while True:
        job = call(f"{base}/api/jobs/{job_id}")
        if job["status"] in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return job
        time.sleep(5)


def act(base, job_id, observation, deterministic):
    answer = call(f"{base}/api/policies/{job_id}/act", "POST",
                  {"observation": [float(x) for x in observation], "deterministic": deterministic})
    return answer["action"]


def gym_action(env, action):
    if isinstance(env.action_space, gym.spaces.Discrete):
        return int(action)
    return [float(a) for a in action]


def play_gymnasium(base, job_id, env_id, seed, deterministic):
    env = gym.make(env_id)
    observation, _ = env.reset(seed=seed)
    total, done = 0.0, False
    while not done:
        observation, reward, terminated, truncated, _ = env.step(
            gym_action(env, act(base, job_id, observation, deterministic)))
        total += float(reward)
        done = terminated or truncated
    return total


def play_service_env(base, job_id, env_id, seed):
    env = gym.make(env_id)
    env.reset(seed=seed)
    state = [float(x) for x in env.unwrapped.state]
    session = call(f"{base}/api/environments/{env_id}/sessions", "POST", {"seed": seed})
    try:
        observation = call(f"{base}/api/sessions/{session['sessionId']}/reset", "POST", {"state": state})["observation"]
        total, done = 0.0, False
        while not done:
            step = call(f"{base}/api/sessions/{session['sessionId']}/step", "POST",
                        {"action": act(base, job_id, observation, True)})
            observation, total = step["observation"], total + step["reward"]
            done = step["terminated"] or step["truncated"]
    finally:
        call(f"{base}/api/sessions/{session['sessionId']}", "DELETE")
    return total


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("env_id", choices=sorted(ZOO))
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--job", help="an existing job on ENV_ID instead of a new one")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--episodes", type=int, default=20)
    args = parser.parse_args()

    job_id = args.job or submit(args.url, args.env_id, args.seed)
    job = wait(args.url, job_id)
    if job["status"] != "SUCCEEDED":
        sys.exit(f"job {job_id} ended {job['status']}: {job.get('error')}")
    seeds = [10_000 + i for i in range(args.episodes)]
    gym_deterministic = [play_gymnasium(args.url, job_id, args.env_id, s, True) for s in seeds]
    service_deterministic = [play_service_env(args.url, job_id, args.env_id, s) for s in seeds]
    gym_stochastic = [play_gymnasium(args.url, job_id, args.env_id, s, False) for s in seeds]
    difference = max(abs(a - b) for a, b in zip(gym_deterministic, service_deterministic))

    def summary(values):
        return f"{statistics.mean(values):.2f} +- {statistics.pstdev(values):.2f}"

    print(f"{args.env_id} job {job_id}: {job['timesteps']} steps")
    print(f"  training reported ep_rew_mean        {job.get('episodeReturnMean')}")
    print(f"  Gymnasium + /act, sampled actions    {summary(gym_stochastic)}")
    print(f"  Gymnasium + /act, deterministic      {summary(gym_deterministic)}")
    print(f"  service env + /act, deterministic    {summary(service_deterministic)}")
    print(f"  largest per-episode difference, Gymnasium vs service env: {difference:.3g}")


if __name__ == "__main__":
    main()
