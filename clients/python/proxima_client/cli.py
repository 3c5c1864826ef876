"""``python -m proxima_client train | attach | evaluate``."""

from __future__ import annotations

import argparse
import os
import json
import logging
import sys
import threading
import time
from urllib.parse import quote
from typing import Any, Sequence

import gymnasium as gym

from .errors import ProximaError, ProximaUnavailable
from .evaluate import evaluate
from .jobs import TERMINAL_STATUSES, job_progress, job_request, submit_job
from .runner import Runner
from .transport import Transport


def _json_object(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise argparse.ArgumentTypeError(f"not JSON: {e}") from e
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object")
    return value


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _describe(job: dict[str, Any]) -> str:
    timesteps, ep_rew_mean, iteration = job_progress(job)
    total = job.get("totalTimesteps")
    steps = _fmt(timesteps) + (f"/{total}" if total else "")
    line = f"status={job.get('status')} timesteps={steps} iteration={_fmt(iteration)} ep_rew_mean={_fmt(ep_rew_mean)}"
    if job.get("stopReason"):
        line += f" stopReason={job['stopReason']}"
    if job.get("error"):
        line += f" error={job['error']}"
    return line


class ProgressPrinter(threading.Thread):
    """Prints the job's progress every ``interval`` seconds, from its own HTTP session."""

    def __init__(self, url: str, job_id: str, interval: float, api_key: str | None, out=sys.stdout):
        super().__init__(daemon=True, name="proxima-progress")
        self.transport = Transport(url, token=api_key, max_retry_seconds=0)
        self.job_id = job_id
        self.interval = interval
        self.out = out
        self._halt = threading.Event()

    def run(self) -> None:
        last = None
        while not self._halt.wait(self.interval):
            try:
                job = self.transport.json("GET", f"/api/jobs/{quote(self.job_id, safe='')}", retry=False)
            except Exception as e:  # the runner reports what matters; keep printing later
                line = f"(progress unavailable: {e})"
            else:
                line = _describe(job)
            if line != last:
                print(line, file=self.out, flush=True)
                last = line

    def stop(self) -> None:
        self._halt.set()


def _final_job(url: str, job_id: str, api_key: str | None, wait_seconds: float = 30.0) -> dict[str, Any] | None:
    """The job once it shows a final status (the 410 may come a moment before the status does)."""
    t = Transport(url, token=api_key, max_retry_seconds=wait_seconds)
    deadline = time.monotonic() + wait_seconds
    job = None
    while True:
        try:
            job = t.json("GET", f"/api/jobs/{quote(job_id, safe='')}")
        except (ProximaError, ProximaUnavailable) as e:
            print(f"could not read job {job_id}: {e}", file=sys.stderr)
            return job
        if job.get("status") in TERMINAL_STATUSES or time.monotonic() >= deadline:
            return job
        time.sleep(0.5)


def _env_fns(env_id: str, kwargs: dict[str, Any], n: int):
    return [lambda: gym.make(env_id, **kwargs) for _ in range(n)]


def _run(args, job_id: str, token: str, num_envs: int) -> int:
    progress = None if args.quiet else ProgressPrinter(args.url, job_id, args.progress_interval, args.api_key)
    # train knows whether its job has masks; attach asks the service unless told
    masks = args.action_masks or (None if args.command == "attach" else False)
    runner = Runner(args.url, job_id, token, env_fns=_env_fns(args.env, args.env_kwargs, num_envs),
                    action_masks=masks, max_retry_seconds=args.max_retry_seconds)
    if progress:
        progress.start()
    try:
        result = runner.run()
    except KeyboardInterrupt:
        print(f"\ninterrupted; runner detached. Job {job_id} keeps waiting for runners: attach again with\n"
              f"  python -m proxima_client attach --url {args.url} --job {job_id} --token {token} "
              f"--env {args.env} --num-envs {num_envs}\nor cancel it: POST {args.url}/api/jobs/{job_id}/cancel",
              file=sys.stderr)
        return 130
    except (ProximaError, ProximaUnavailable, ValueError) as e:
        print(f"runner failed: {e}", file=sys.stderr)
        return 1
    finally:
        if progress:
            progress.stop()
        runner.close()
    if not args.quiet:
        print(f"runner done: {result.steps} steps, {result.env_steps} environment steps, "
              f"{result.episodes} episodes, {result.attachments} attachment(s)")
    job = _final_job(args.url, job_id, args.api_key)
    if job is None:
        return 1
    print(f"final {_describe(job)}")
    return 0 if job.get("status") == "SUCCEEDED" else 1


def cmd_train(args) -> int:
    env = gym.make(args.env, **args.env_kwargs)
    try:
        request = job_request(env, args.num_envs, total_timesteps=args.total_timesteps, seed=args.seed,
                              hyperparameters=args.hyperparameters, stop_at_return=args.stop_at_return,
                              name=args.name or args.env, action_masks=args.action_masks)
    finally:
        env.close()
    try:
        job = submit_job(args.url, request, transport=Transport(args.url, token=args.api_key, max_retry_seconds=args.max_retry_seconds))
    except (ProximaError, ProximaUnavailable) as e:
        print(f"submission failed: {e}", file=sys.stderr)
        return 1
    print(f"job {job.id}")
    print(f"runner token {job.runner_token}", flush=True)
    return _run(args, job.id, job.runner_token, args.num_envs)


def cmd_attach(args) -> int:
    return _run(args, args.job, args.token, args.num_envs)


def cmd_evaluate(args) -> int:
    env = gym.make(args.env, **args.env_kwargs)
    try:
        result = evaluate(args.url, args.job, env, episodes=args.episodes, seed=args.seed,
                          deterministic=not args.stochastic, checkpoint=args.checkpoint,
                          transport=Transport(args.url, token=args.api_key, max_retry_seconds=args.max_retry_seconds),
                          on_episode=lambda i, r, n: print(f"episode {i + 1}: return {r:.2f} ({n} steps)",
                                                           flush=True))
    except (ProximaError, ProximaUnavailable) as e:
        print(f"evaluation failed: {e}", file=sys.stderr)
        return 1
    finally:
        env.close()
    print(f"mean return {result.mean:.2f} ± {result.std:.2f} over {len(result.returns)} episodes")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m proxima_client",
                                description="Train Proxima PPO jobs on Gymnasium environments you run yourself.")
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, env_required=True):
        sp.add_argument("--url", default="http://localhost:8080", help="the service (default %(default)s)")
        sp.add_argument("--api-key", default=os.environ.get("PROXIMA_API_KEY"),
                        help="an API key with the train scope (default: $PROXIMA_API_KEY); the runner protocol "
                             "itself uses the job's runner token")
        sp.add_argument("--env", required=env_required, help="a Gymnasium environment id, e.g. CartPole-v1")
        sp.add_argument("--env-kwargs", type=_json_object, default={}, metavar="JSON",
                        help="keyword arguments for gymnasium.make, as a JSON object")
        sp.add_argument("--max-retry-seconds", type=float, default=600.0,
                        help="how long to keep retrying while the service is unreachable (default %(default)s)")
        sp.add_argument("-v", "--verbose", action="store_true", help="log retries and attaches")

    def running(sp):
        sp.add_argument("--action-masks", action="store_true",
                        help="send info['action_mask'] with every step (attach: default from the job)")
        sp.add_argument("--progress-interval", type=float, default=5.0, metavar="SECONDS")
        sp.add_argument("--quiet", action="store_true", help="no progress lines")

    t = sub.add_parser("train", help="submit a job and run all its environment copies here")
    common(t)
    t.add_argument("--num-envs", type=int, default=8)
    t.add_argument("--total-timesteps", type=int)
    t.add_argument("--seed", type=int)
    t.add_argument("--hyperparameters", type=_json_object, metavar="JSON", help='e.g. \'{"nSteps": 32}\'')
    t.add_argument("--stop-at-return", type=float, metavar="R", help="stopWhen.episodeReturnMean")
    t.add_argument("--name")
    running(t)
    t.set_defaults(func=cmd_train)

    a = sub.add_parser("attach", help="run more copies of an existing job")
    common(a)
    a.add_argument("--job", required=True)
    a.add_argument("--token", required=True, help="the job's runner token")
    a.add_argument("--num-envs", type=int, required=True)
    running(a)
    a.set_defaults(func=cmd_attach)

    e = sub.add_parser("evaluate", help="run episodes with actions from the job's /act")
    common(e)
    e.add_argument("--job", required=True)
    e.add_argument("--episodes", type=int, default=10)
    e.add_argument("--seed", type=int)
    e.add_argument("--stochastic", action="store_true", help="sample actions instead of the most likely one")
    e.add_argument("--checkpoint", help="latest (default), best or an iteration")
    e.set_defaults(func=cmd_evaluate)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
