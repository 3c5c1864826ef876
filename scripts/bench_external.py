#!/usr/bin/env python3
"""Proxima beside Stable-Baselines3, on rl-baselines3-zoo's PPO configuration, in one command.

    scripts/bench-venv.sh                      # once: the venv (SB3_SOURCE=... for SB3)
    .bench/venv/bin/python scripts/bench_external.py --url http://localhost:8080
    .bench/venv/bin/python scripts/bench_external.py --url http://localhost:8080 --env Acrobot-v1

For every seed, in turn (seeds outermost, so that a machine whose speed drifts hurts every row
alike):
  builtin   Proxima's own environment, as a job over the API (submit, poll until it ends).
  external  the same job on Gymnasium's environment through the runner protocol: this process
            is the one runner and steps all the copies (proxima_client.Runner).
  sb3       Stable-Baselines3 PPO on Gymnasium's environment, DummyVecEnv via make_vec_env, with
            torch.set_num_threads(T) for each T of --sb3-threads.
Every run goes the whole --timesteps (no early stop), so throughput covers a whole run.

Per run it prints env-steps/s (timesteps / training seconds: for Proxima the last metric
point's elapsedSeconds, for SB3 the time in learn()), when ep_rew_mean (the mean return of the
last 100 episodes) first reached --target, in steps and seconds, and the final ep_rew_mean.
Both sides check the target once per iteration, after that iteration's update (Proxima's metric
point; for SB3 the callback looks at ep_info_buffer at the end of the rollout and stamps the
time once the update that follows has run). "wall" is submit-to-end (builtin, which includes
queueing and start-up), attach-to-end (external) or the time in learn() (SB3).
Then a markdown table of medians, with each row's throughput as a ratio to the builtin row and
to SB3 on one thread.

The Proxima service runs with its own thread settings: start it as you mean to compare. On a
2-core machine leave the machine otherwise idle; compare figures only within one sitting.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import gymnasium as gym
import numpy as np

from bench_common import machine_line, versions

EP_REW_MEAN = "rollout/ep_rew_mean"

# rl-baselines3-zoo hyperparams/ppo.yml (see shared/reference/RL-ZOO.md). Keys left out take
# SB3's defaults, which are also Proxima's: lr 3e-4, batch 64, clip 0.2, vf_coef 0.5,
# max_grad_norm 0.5, separate 64-64 tanh actor and critic, orthogonal init.
# "normalize: true" in the zoo is VecNormalize with observations and rewards normalized (clip 10,
# gamma = the algorithm's); --no-normalize-reward keeps the observations' part only.
CONFIGS: dict[str, dict[str, Any]] = {
    "CartPole-v1": {
        "n_envs": 8, "timesteps": 100_000, "target": 475.0, "normalize": False,
        "proxima": {"learningRate": 0.001, "learningRateSchedule": "linear", "nSteps": 32, "batchSize": 256,
                    "nEpochs": 20, "gamma": 0.98, "gaeLambda": 0.8, "clipRange": 0.2,
                    "clipRangeSchedule": "linear", "entCoef": 0.0},
        "sb3": {"learning_rate": ("lin", 0.001), "n_steps": 32, "batch_size": 256, "n_epochs": 20,
                "gamma": 0.98, "gae_lambda": 0.8, "clip_range": ("lin", 0.2), "ent_coef": 0.0},
    },
    "Acrobot-v1": {
        "n_envs": 16, "timesteps": 1_000_000, "target": -100.0, "normalize": True,
        "proxima": {"nSteps": 256, "gaeLambda": 0.94, "gamma": 0.99, "nEpochs": 4, "entCoef": 0.0},
        "sb3": {"n_steps": 256, "gae_lambda": 0.94, "gamma": 0.99, "n_epochs": 4, "ent_coef": 0.0},
    },
    # rl-zoo's batch_size 256 is more than the 8-sample rollout, so SB3 takes the whole rollout as
    # its one minibatch; Proxima refuses a batchSize above the rollout and is given that 8.
    "MountainCarContinuous-v0": {
        "n_envs": 1, "timesteps": 20_000, "target": 80.0, "normalize": True,
        "proxima": {"nSteps": 8, "batchSize": 8, "gamma": 0.9999, "learningRate": 7.77e-5, "entCoef": 0.00429,
                    "clipRange": 0.1, "nEpochs": 10, "gaeLambda": 0.9, "maxGradNorm": 5, "vfCoef": 0.19,
                    "useSde": True, "logStdInit": -3.29, "orthoInit": False},
        "sb3": {"n_steps": 8, "batch_size": 256, "gamma": 0.9999, "learning_rate": 7.77e-5, "ent_coef": 0.00429,
                "clip_range": 0.1, "n_epochs": 10, "gae_lambda": 0.9, "max_grad_norm": 5, "vf_coef": 0.19,
                "use_sde": True, "policy_kwargs": {"log_std_init": -3.29, "ortho_init": False}},
    },
    "Pendulum-v1": {
        "n_envs": 4, "timesteps": 100_000, "target": -250.0, "normalize": False,
        "proxima": {"nSteps": 1024, "gaeLambda": 0.95, "gamma": 0.9, "nEpochs": 10, "entCoef": 0.0,
                    "learningRate": 1e-3, "clipRange": 0.2, "useSde": True, "sdeSampleFreq": 4},
        "sb3": {"n_steps": 1024, "gae_lambda": 0.95, "gamma": 0.9, "n_epochs": 10, "ent_coef": 0.0,
                "learning_rate": 1e-3, "clip_range": 0.2, "use_sde": True, "sde_sample_freq": 4},
    },
}


@dataclass
class Run:
    kind: str  # builtin | external | sb3
    label: str  # the summary row
    seed: int
    ok: bool = True
    error: str | None = None
    timesteps: int | None = None
    train_seconds: float | None = None
    wall_seconds: float | None = None
    target_steps: int | None = None
    target_seconds: float | None = None
    final_ep_rew_mean: float | None = None
    job_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def steps_per_second(self) -> float | None:
        if self.timesteps and self.train_seconds:
            return self.timesteps / self.train_seconds
        return None


# -- formatting ------------------------------------------------------------------------------

def fmt_int(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


def fmt_s(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f} s"


def fmt_ret(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.1f}"


def describe(run: Run, target: float) -> str:
    head = f"{run.label:<18} seed {run.seed}: "
    if not run.ok:
        return head + f"FAILED: {run.error}"
    reached = (f"{target:g} after {fmt_int(run.target_steps)} steps, {fmt_s(run.target_seconds)}"
               if run.target_steps is not None else f"{target:g} not reached")
    wall = f"; wall {fmt_s(run.wall_seconds)}" if run.wall_seconds is not None else ""
    if run.kind == "external" and run.wall_seconds and run.timesteps:
        wall += f" ({fmt_int(run.timesteps / run.wall_seconds)} env-steps/s by wall)"
    return (head + f"{fmt_int(run.steps_per_second)} env-steps/s ({fmt_int(run.timesteps)} steps in "
            f"{fmt_s(run.train_seconds)}{wall}); {reached}; final ep_rew_mean {fmt_ret(run.final_ep_rew_mean)}")


# -- Proxima ---------------------------------------------------------------------------------

def proxima_hyperparameters(cfg: dict[str, Any], normalize_reward: bool) -> dict[str, Any]:
    hp = dict(cfg["proxima"])
    if cfg["normalize"]:
        hp["normalizeObservations"] = True
        hp["normalizeReward"] = bool(normalize_reward)
    return hp


def proxima_metrics(transport, job_id: str) -> list[dict[str, Any]]:
    """Every metric point of a job, ascending by iteration."""
    points: list[dict[str, Any]] = []
    after = 0
    while True:
        page = transport.json("GET", f"/api/jobs/{job_id}/metrics?afterIteration={after}&limit=10000")["points"]
        points.extend(page)
        if len(page) < 10000:
            return points
        after = page[-1]["iteration"]


def fill_from_metrics(run: Run, points: list[dict[str, Any]], target: float) -> None:
    if not points:
        run.ok, run.error = False, "the job has no metric points"
        return
    last = points[-1]
    run.timesteps = int(last["timesteps"])
    run.train_seconds = float(last["elapsedSeconds"])
    run.final_ep_rew_mean = (last.get("metrics") or {}).get(EP_REW_MEAN)
    run.extra["iterations"] = int(last["iteration"])
    for p in points:
        value = (p.get("metrics") or {}).get(EP_REW_MEAN)
        if value is not None and value >= target:
            run.target_steps, run.target_seconds = int(p["timesteps"]), float(p["elapsedSeconds"])
            break


def wait_for_job(transport, job_id: str, progress_interval: float, label: str) -> dict[str, Any]:
    last_print = time.monotonic()
    while True:
        job = transport.json("GET", f"/api/jobs/{job_id}")
        if job.get("status") in ("SUCCEEDED", "FAILED", "CANCELLED"):
            return job
        if progress_interval and time.monotonic() - last_print >= progress_interval:
            last_print = time.monotonic()
            print(f"  {label}: {job.get('status')}, {fmt_int(job.get('timesteps'))} steps, "
                  f"ep_rew_mean {fmt_ret(job.get('episodeReturnMean'))}", flush=True)
        time.sleep(0.5)


def finish_proxima_run(run: Run, transport, job: dict[str, Any], target: float) -> None:
    run.extra["status"], run.extra["stopReason"] = job.get("status"), job.get("stopReason")
    if job.get("status") != "SUCCEEDED":
        run.ok = False
        run.error = f"job {job.get('id')} {job.get('status')} ({job.get('stopReason')}): {job.get('error')}"
    points = proxima_metrics(transport, run.job_id)
    if points:
        fill_from_metrics(run, points, target)


def cancel_quietly(transport, job_id: str) -> None:
    try:
        transport.json("POST", f"/api/jobs/{job_id}/cancel", expect=(200, 202), retry=False)
        print(f"  cancelled job {job_id}", flush=True)
    except Exception as e:
        print(f"  could not cancel job {job_id}: {e}", flush=True)


def run_builtin(args, cfg, seed: int) -> Run:
    from proxima_client import Transport
    run = Run("builtin", "Proxima built-in", seed)
    transport = Transport(args.url, token=os.environ.get("PROXIMA_API_KEY"))
    body = {"name": f"bench-builtin-{args.env}-seed{seed}",
            "environment": {"id": args.env, "numEnvs": cfg["n_envs"]},
            "totalTimesteps": args.timesteps, "seed": seed,
            "hyperparameters": proxima_hyperparameters(cfg, args.normalize_reward)}
    t0 = time.perf_counter()
    job = transport.json("POST", "/api/jobs", body)
    run.job_id = str(job["id"])
    try:
        job = wait_for_job(transport, run.job_id, args.progress_interval, run.label)
    except BaseException:
        cancel_quietly(transport, run.job_id)
        raise
    run.wall_seconds = time.perf_counter() - t0
    finish_proxima_run(run, transport, job, args.target)
    return run


def run_external(args, cfg, seed: int) -> Run:
    from proxima_client import Runner, Transport, get_job, job_request, submit_job
    run = Run("external", "Proxima external", seed)
    env_id = args.env
    transport = Transport(args.url, token=os.environ.get("PROXIMA_API_KEY"))
    probe = gym.make(env_id)
    request = job_request(probe, cfg["n_envs"], total_timesteps=args.timesteps, seed=seed,
                          hyperparameters=proxima_hyperparameters(cfg, args.normalize_reward),
                          name=f"bench-external-{env_id}-seed{seed}")
    probe.close()
    job = submit_job(args.url, request, transport=transport)
    run.job_id = job.id
    runner = Runner(args.url, job.id, job.runner_token, env_fns=[lambda: gym.make(env_id)] * cfg["n_envs"],
                    action_masks=False)
    try:
        t0 = time.perf_counter()  # run() attaches first
        result = runner.run()  # returns when the job has ended (410)
        run.wall_seconds = time.perf_counter() - t0
    except BaseException:
        runner.close()
        cancel_quietly(transport, job.id)
        raise
    runner.close()
    run.extra.update(runner_env_steps=result.env_steps, runner_episodes=result.episodes,
                     attachments=result.attachments)
    final = get_job(args.url, job.id, transport=transport)
    deadline = time.monotonic() + 60  # 410 can come a moment before the status is final
    while final.get("status") not in ("SUCCEEDED", "FAILED", "CANCELLED") and time.monotonic() < deadline:
        time.sleep(0.5)
        final = get_job(args.url, job.id, transport=transport)
    finish_proxima_run(run, transport, final, args.target)
    return run


# -- Stable-Baselines3 -------------------------------------------------------------------------

def sb3_kwargs(cfg: dict[str, Any]) -> dict[str, Any]:
    def linear(start: float) -> Callable[[float], float]:
        return lambda progress_remaining: progress_remaining * start  # rl-zoo's lin_X
    return {k: (linear(v[1]) if isinstance(v, tuple) and v[0] == "lin" else v) for k, v in cfg["sb3"].items()}


def run_sb3(args, cfg, seed: int, threads: int) -> Run:
    import torch
    from stable_baselines3 import PPO
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.env_util import make_vec_env
    from stable_baselines3.common.vec_env import DummyVecEnv, VecNormalize

    run = Run("sb3", f"SB3, {threads} thread{'s' if threads != 1 else ''}", seed)
    run.extra["threads"] = threads
    torch.set_num_threads(threads)
    target, interval = args.target, args.progress_interval

    class Target(BaseCallback):
        """Checks ep_info_buffer at each rollout's end; stamps the time after that update."""

        def __init__(self):
            super().__init__()
            self.t0 = 0.0
            self.pending = False
            self.steps: int | None = None
            self.seconds: float | None = None
            self.last_print = 0.0

        def _on_training_start(self) -> None:
            self.t0 = self.last_print = time.perf_counter()

        def _on_step(self) -> bool:
            return True

        def _mean(self) -> float | None:
            buf = self.model.ep_info_buffer
            return float(np.mean([e["r"] for e in buf])) if buf else None

        def _on_rollout_end(self) -> None:
            mean = self._mean()
            if self.steps is None and mean is not None and mean >= target:
                self.steps, self.pending = int(self.model.num_timesteps), True
            now = time.perf_counter()
            if interval and now - self.last_print >= interval:
                self.last_print = now
                print(f"  {run.label}: {fmt_int(self.model.num_timesteps)} steps, ep_rew_mean {fmt_ret(mean)}",
                      flush=True)

        def _stamp(self) -> None:
            if self.pending:
                self.seconds, self.pending = time.perf_counter() - self.t0, False

        def _on_rollout_start(self) -> None:  # the previous rollout's update has run
            self._stamp()

        def _on_training_end(self) -> None:
            self._stamp()

    venv = make_vec_env(args.env, n_envs=cfg["n_envs"], seed=seed, vec_env_cls=DummyVecEnv)
    if cfg["normalize"]:
        venv = VecNormalize(venv, norm_obs=True, norm_reward=args.normalize_reward, gamma=cfg["sb3"]["gamma"])
    model = PPO("MlpPolicy", venv, seed=seed, device="cpu", verbose=0, **sb3_kwargs(cfg))
    callback = Target()
    t0 = time.perf_counter()
    model.learn(total_timesteps=args.timesteps, callback=callback)
    run.train_seconds = run.wall_seconds = time.perf_counter() - t0
    run.timesteps = int(model.num_timesteps)
    run.final_ep_rew_mean = callback._mean()
    run.target_steps, run.target_seconds = callback.steps, callback.seconds
    venv.close()
    return run


# -- summary -----------------------------------------------------------------------------------

def median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def summary(runs: list[Run], target: float) -> str:
    labels: list[str] = []
    for r in runs:
        if r.label not in labels:
            labels.append(r.label)
    rows: dict[str, dict[str, Any]] = {}
    for label in labels:
        mine = [r for r in runs if r.label == label]
        good = [r for r in mine if r.ok and r.steps_per_second]
        reached = [r for r in good if r.target_steps is not None]
        rows[label] = {
            "n": len(mine), "ok": len(good), "reached": len(reached),
            "sps": median([r.steps_per_second for r in good]),
            "steps": median([r.target_steps for r in reached]),
            "secs": median([r.target_seconds for r in reached if r.target_seconds is not None]),
            "final": median([r.final_ep_rew_mean for r in good if r.final_ep_rew_mean is not None]),
            "wall": median([r.wall_seconds for r in good if r.wall_seconds is not None]),
        }
    base_builtin = (rows.get("Proxima built-in") or {}).get("sps")
    base_sb3 = (rows.get("SB3, 1 thread") or {}).get("sps")

    def ratio(x, base):
        return "n/a" if x is None or not base else f"{x / base:.2f}x"

    lines = [f"| Run | Runs | Env-steps/s | vs built-in | vs SB3 1 thread | Steps to {target:g} | "
             f"Seconds to {target:g} | Final ep_rew_mean | Wall |",
             "|---|---|---|---|---|---|---|---|---|"]
    for label, s in rows.items():
        runs_cell = f"{s['ok']}" if s["ok"] == s["n"] else f"{s['ok']} of {s['n']} ok"
        reach = "" if s["reached"] == s["ok"] else f" ({s['reached']} of {s['ok']} reached)"
        steps = "not reached" if s["reached"] == 0 else fmt_int(s["steps"]) + reach
        secs = "not reached" if s["reached"] == 0 else fmt_s(s["secs"])
        lines.append(f"| {label} | {runs_cell} | {fmt_int(s['sps'])} | {ratio(s['sps'], base_builtin)} | "
                     f"{ratio(s['sps'], base_sb3)} | {steps} | {secs} | {fmt_ret(s['final'])} | {fmt_s(s['wall'])} |")
    return "\n".join(lines)


def package_versions(include_sb3: bool) -> str:
    return versions(["gymnasium", "numpy", "proxima-client"] + (["stable-baselines3", "torch"] if include_sb3 else []))


# -- main --------------------------------------------------------------------------------------

def parse_ints(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Proxima (built-in and external environment) beside Stable-Baselines3 "
                                            "PPO, on rl-baselines3-zoo's configuration.",
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--url", help="a running Proxima service (needed unless --skip-builtin and --skip-external)")
    p.add_argument("--env", default="CartPole-v1", choices=sorted(CONFIGS))
    p.add_argument("--seeds", type=parse_ints, default="1,2,3", help="comma-separated")
    p.add_argument("--timesteps", type=int, default=None,
                   help="per run; default rl-zoo's (CartPole-v1 1e5, Acrobot-v1 1e6)")
    p.add_argument("--target", type=float, default=None,
                   help="the ep_rew_mean to time; default CartPole-v1 475, Acrobot-v1 -100")
    p.add_argument("--sb3-threads", type=parse_ints, default="1,2", help="torch threads, comma-separated")
    p.add_argument("--skip-builtin", action="store_true", help="no Proxima built-in environment runs")
    p.add_argument("--skip-external", action="store_true", help="no runner-protocol runs")
    p.add_argument("--skip-sb3", action="store_true", help="no Stable-Baselines3 runs")
    p.add_argument("--no-normalize-reward", dest="normalize_reward", action="store_false",
                   help="for configurations with rl-zoo's 'normalize' (Acrobot-v1), normalize the "
                        "observations only (default: observations and rewards, as rl-zoo)")
    p.add_argument("--progress-interval", type=float, default=30.0, help="seconds between progress lines; 0: none")
    p.add_argument("--json", metavar="FILE", help="also write every run's figures to FILE")
    args = p.parse_args(argv)

    cfg = CONFIGS[args.env]
    args.timesteps = args.timesteps or cfg["timesteps"]
    args.target = cfg["target"] if args.target is None else args.target
    proxima_parts = not (args.skip_builtin and args.skip_external)
    if proxima_parts and not args.url:
        p.error("--url is needed for the Proxima runs (or pass --skip-builtin --skip-external)")
    if args.skip_builtin and args.skip_external and args.skip_sb3:
        p.error("everything is skipped")
    if args.url:
        args.url = args.url.rstrip("/")

    if not args.skip_sb3:
        try:
            import stable_baselines3  # noqa: F401
            import torch  # noqa: F401
        except ImportError as e:
            p.error(f"{e}: run scripts/bench-venv.sh and use its python, or pass --skip-sb3")
    if proxima_parts:
        from proxima_client import Transport
        envs = Transport(args.url, token=os.environ.get("PROXIMA_API_KEY")).json("GET", "/api/environments")
        ids = {e.get("id") for e in (envs if isinstance(envs, list) else envs.get("environments", []))}
        if not args.skip_builtin and args.env not in ids:
            p.error(f"the service at {args.url} has no built-in {args.env} (it has {sorted(i for i in ids if i)})")

    norm = ""
    if cfg["normalize"]:
        norm = ", VecNormalize(" + ("obs, reward" if args.normalize_reward else "obs only") + ")"
    print(f"# {args.env}: rl-zoo PPO, {cfg['n_envs']} envs, {fmt_int(args.timesteps)} steps per run, "
          f"seeds {','.join(map(str, args.seeds))}, target ep_rew_mean {args.target:g}{norm}")
    print(f"# Proxima hyperparameters {json.dumps(proxima_hyperparameters(cfg, args.normalize_reward))}")
    print(f"# {machine_line()}; {package_versions(not args.skip_sb3)}")
    blas = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OMP_NUM_THREADS") if k in os.environ}
    if blas:
        print(f"# this process's environment: {blas}")
    if args.url:
        print(f"# service {args.url}")
    sys.stdout.flush()

    runs: list[Run] = []

    def attempt(kind: str, label: str, seed: int, fn: Callable[[], Run]) -> None:
        try:
            run = fn()
        except KeyboardInterrupt:
            raise
        except Exception as e:  # a failed run is reported and the benchmark goes on
            run = Run(kind, label, seed, ok=False, error=f"{type(e).__name__}: {e}")
        runs.append(run)
        print(describe(run, args.target), flush=True)

    try:
        for seed in args.seeds:
            if not args.skip_builtin:
                attempt("builtin", "Proxima built-in", seed, lambda: run_builtin(args, cfg, seed))
            if not args.skip_external:
                attempt("external", "Proxima external", seed, lambda: run_external(args, cfg, seed))
            if not args.skip_sb3:
                for t in args.sb3_threads:
                    attempt("sb3", f"SB3, {t} thread{'s' if t != 1 else ''}", seed,
                            lambda: run_sb3(args, cfg, seed, t))
    except KeyboardInterrupt:
        print("\ninterrupted; the summary covers the runs that finished", flush=True)

    print()
    print(summary(runs, args.target))
    print()
    print("Medians per row. Env-steps/s = timesteps / training seconds (Proxima: the last metric point's "
          "elapsedSeconds; SB3: learn()). Wall: submit to end (built-in), attach to end (external), learn() (SB3).")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"env": args.env, "timesteps": args.timesteps, "target": args.target, "seeds": args.seeds,
                       "runs": [asdict(r) | {"steps_per_second": r.steps_per_second} for r in runs]}, f, indent=2)
    return 0 if runs and all(r.ok for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
