#!/usr/bin/env python3
"""Proxima's /act under load beside Stable-Baselines3's policy behind FastAPI + uvicorn, in one command.

    scripts/bench-venv.sh                      # once: the venv (it needs fastapi and uvicorn too)
    .bench/venv/bin/python scripts/bench_act.py --url http://localhost:8080 --job <id>
    .bench/venv/bin/python scripts/bench_act.py --url http://localhost:8080 --submit
    .bench/venv/bin/python scripts/bench_act.py --url http://localhost:8080 --job <id> --calls-total 1000000

The load generator is wrk (Debian's package: apt-get install wrk) with scripts/act.lua, which
POSTs {"observation": [0.01, 0.02, -0.03, 0.04], "deterministic": true} over keep-alive
connections, checks every response's status and prints its figures as one JSON line.

  proxima   POST {url}/api/policies/{job}/act of a CartPole-v1 job: --job, or --submit trains a
            short one first (20,000 steps, 8 envs) and waits for it to succeed.
  fastapi   Stable-Baselines3 PPO("MlpPolicy") on CartPole-v1 (64-64 tanh, as Proxima's
            default), untrained unless --sb3-train-steps (the time of predict() does not depend
            on the weights), saved, then loaded by a small FastAPI app (POST /act, the same
            body, answering {"action": int} with model.predict(obs, deterministic=True)) under
            uvicorn, one worker, torch.set_num_threads(1), access log off, in a subprocess this
            script starts and stops. The endpoint is an `async def`: predict() is short and one
            worker runs one request at a time either way, so the thread pool a plain `def` goes
            through would only add a hop. uvicorn picks uvloop and httptools when installed
            (uvicorn[standard]); --sb3-loop and --sb3-http choose.

For each side: a warm-up (Proxima: 1,000 calls from this process, then --warmup seconds of wrk;
FastAPI: --warmup seconds of wrk), then `wrk -t1 -cC -dDs --latency -s scripts/act.lua` for each
C of --connections. Then a table: p50/p90/p99/p99.9 latency (ms) and requests/s per side and
connection count, Proxima/FastAPI ratios, and the issue's targets (reported, not asserted):

  Proxima, 1 connection: p50 <= 0.2 ms and p99 <= 1 ms.
  Proxima, 16 connections: >= 10x FastAPI's requests/s, and p99 <= 5 ms.
  Bounded memory: after 1M calls, the resident set within a few hundred MB (300 MiB taken here)
  of what it was after the first thousand. --calls-total N goes on with 16-connection wrk runs
  until about N Proxima calls have been made in all (use 1000000).

The Proxima process's resident set (VmRSS and VmHWM, the peak, from /proc/<pid>/status) is read
after the 1,000-call warm-up and after all the load. The pid is --pid, or the process that
listens on the URL's port (`ss -ltnp`) when the URL is on this machine; without one there are
no memory figures.

wrk, the service and the FastAPI server share the machine: on a 2-core machine leave it
otherwise idle (the load average at the start is printed), and compare figures only within
one sitting. wrk's latencies are closed-loop (each connection sends its next request when the
previous answer is in), from send to the answer read. Exits 1 if any response was not a 200,
if wrk saw socket errors or timeouts, or if a side could not be set up.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

from bench_common import machine_line, versions

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "act.lua")
OBSERVATION = [0.01, 0.02, -0.03, 0.04]
BODY = json.dumps({"observation": OBSERVATION, "deterministic": True}, separators=(",", ":"))
WARMUP_CALLS = 1000
RSS_BUDGET_MIB = 300.0  # "a few hundred MB"

# The FastAPI app, written to a temporary file and run by this venv's python.
SB3_APP = r'''
"""Stable-Baselines3 PPO behind FastAPI + uvicorn, one worker, for scripts/bench_act.py."""
import argparse, os, sys, time

import torch
torch.set_num_threads(1)

import gymnasium as gym
import numpy as np
import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel
from stable_baselines3 import PPO

p = argparse.ArgumentParser()
p.add_argument("--model", required=True, help="where the policy's zip is saved and loaded from")
p.add_argument("--train-steps", type=int, default=0)
p.add_argument("--seed", type=int, default=0)
p.add_argument("--host", default="127.0.0.1")
p.add_argument("--port", type=int, required=True)
p.add_argument("--loop", default="auto")
p.add_argument("--http", default="auto")
args = p.parse_args()

t0 = time.perf_counter()
trainer = PPO("MlpPolicy", gym.make("CartPole-v1"), seed=args.seed, device="cpu", verbose=0)
if args.train_steps > 0:
    trainer.learn(total_timesteps=args.train_steps)
trainer.save(args.model)
print(f"policy: {'trained %d steps' % args.train_steps if args.train_steps > 0 else 'untrained'}, "
      f"saved in {time.perf_counter() - t0:.1f} s", flush=True)

model = PPO.load(args.model, device="cpu")
OBS_DIM = int(model.observation_space.shape[0])

app = FastAPI()


class ActRequest(BaseModel):
    observation: list[float]
    deterministic: bool = True


class ActResponse(BaseModel):
    action: int


@app.post("/act", response_model=ActResponse)
async def act(req: ActRequest) -> ActResponse:
    if len(req.observation) != OBS_DIM:
        raise HTTPException(status_code=422, detail=f"observation must have {OBS_DIM} values")
    action, _ = model.predict(np.asarray(req.observation, dtype=np.float32), deterministic=req.deterministic)
    return ActResponse(action=int(action))


print(f"serving on {args.host}:{args.port}, torch threads {torch.get_num_threads()}", flush=True)
uvicorn.run(app, host=args.host, port=args.port, workers=1, loop=args.loop, http=args.http,
            log_level="warning", access_log=False)
'''


class BenchError(Exception):
    pass


@dataclass
class WrkRun:
    side: str  # proxima | fastapi
    connections: int
    duration: float
    kind: str = "measured"  # measured | warmup | calls
    requests: int = 0
    rps: float = 0.0
    latency_us: dict[str, float] = field(default_factory=dict)
    non200: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    first_bad_status: int = 0
    first_bad_body: str = ""
    errors: dict[str, int] = field(default_factory=dict)

    @property
    def socket_errors(self) -> int:
        return sum(v for k, v in self.errors.items() if k != "status")

    def problems(self) -> str | None:
        out = []
        if self.non200:
            out.append(f"{self.non200} non-200 responses {self.statuses} (first: {self.first_bad_status} "
                       f"{self.first_bad_body[:200]!r})")
        if self.socket_errors:
            out.append(f"socket errors {self.errors}")
        if self.requests == 0:
            out.append("no requests completed")
        return "; ".join(out) or None


# -- small helpers -----------------------------------------------------------------------------

def ms(us: float | None) -> str:
    return "n/a" if us is None else f"{us / 1000:.3f}"


def fmt_int(x: float | None) -> str:
    return "n/a" if x is None else f"{x:,.0f}"


def wrk_version(wrk: str) -> str:
    r = subprocess.run([wrk, "-v"], capture_output=True, text=True)
    first = (r.stdout or r.stderr).strip().splitlines()
    return first[0].split(" Copyright")[0] if first else "?"


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- memory ------------------------------------------------------------------------------------

def pid_listening_on(port: int) -> int | None:
    try:
        r = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r"pid=(\d+)", r.stdout)
    return int(m.group(1)) if m else None


def read_rss(pid: int) -> dict[str, float] | None:
    """VmRSS and VmHWM of pid in MiB, or None if the process is gone or unreadable."""
    try:
        with open(f"/proc/{pid}/status") as f:
            text = f.read()
    except OSError:
        return None
    out = {}
    for key in ("VmRSS", "VmHWM"):
        m = re.search(rf"^{key}:\s+(\d+)\s+kB", text, re.M)
        if m:
            out[key] = int(m.group(1)) / 1024
    return out or None


def fmt_rss(rss: dict[str, float] | None) -> str:
    if not rss:
        return "n/a"
    return f"VmRSS {rss.get('VmRSS', 0):,.0f} MiB (peak VmHWM {rss.get('VmHWM', 0):,.0f} MiB)"


# -- wrk ---------------------------------------------------------------------------------------

def run_wrk(args, side: str, base_url: str, path: str, connections: int, duration: float,
            kind: str = "measured") -> WrkRun:
    threads = max(1, min(args.threads, connections))
    seconds = max(1, int(round(duration)))
    cmd = [args.wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency",
           f"--timeout={args.timeout}s", "-s", LUA, base_url, "--", path, BODY]
    r = subprocess.run(cmd, capture_output=True, text=True)
    line = next((l for l in r.stdout.splitlines() if l.startswith("JSON ")), None)
    if r.returncode != 0 or line is None:
        raise BenchError(f"wrk failed (exit {r.returncode}): {' '.join(cmd)}\n{r.stdout}\n{r.stderr}")
    data = json.loads(line[5:])
    run = WrkRun(side, connections, data["duration_us"] / 1e6, kind, requests=int(data["requests"]),
                 rps=float(data["rps"]), latency_us=data["latency_us"], non200=int(data["non200"]),
                 statuses={str(k): int(v) for k, v in data["statuses"].items()},
                 first_bad_status=int(data["first_bad_status"]), first_bad_body=data["first_bad_body"],
                 errors=data["errors"])
    return run


def describe(run: WrkRun) -> str:
    lat = run.latency_us
    head = f"  {run.side:<8} {run.kind:<8} {run.connections:>3} conn, {run.duration:5.1f} s: "
    text = (head + f"{fmt_int(run.rps):>8} req/s, p50 {ms(lat.get('p50'))} p90 {ms(lat.get('p90'))} "
            f"p99 {ms(lat.get('p99'))} p99.9 {ms(lat.get('p99_9'))} max {ms(lat.get('max'))} ms "
            f"({fmt_int(run.requests)} calls)")
    problem = run.problems()
    return text + (f"  !! {problem}" if problem else "")


# -- Proxima -----------------------------------------------------------------------------------

def proxima_path(args) -> str:
    path = f"{args.prefix}/api/policies/{args.job}/act"
    return path + (f"?checkpoint={args.checkpoint}" if args.checkpoint else "")


def submit_job(session, args) -> str:
    body = {"name": "bench-act-cartpole", "environment": {"id": "CartPole-v1", "numEnvs": 8},
            "totalTimesteps": args.submit_timesteps, "seed": 1}
    r = session.post(f"{args.url}/api/jobs", json=body, timeout=30)
    if r.status_code not in (200, 201):
        raise BenchError(f"POST /api/jobs answered {r.status_code}: {r.text[:500]}")
    job_id = str(r.json()["id"])
    print(f"# submitted CartPole-v1 job {job_id} ({fmt_int(args.submit_timesteps)} steps); waiting", flush=True)
    deadline = time.monotonic() + args.job_timeout
    while True:
        job = session.get(f"{args.url}/api/jobs/{job_id}", timeout=30).json()
        status = job.get("status")
        if status == "SUCCEEDED":
            print(f"# job {job_id} SUCCEEDED: {fmt_int(job.get('timesteps'))} steps, "
                  f"ep_rew_mean {job.get('episodeReturnMean')}", flush=True)
            return job_id
        if status in ("FAILED", "CANCELLED"):
            raise BenchError(f"job {job_id} {status} ({job.get('stopReason')}): {job.get('error')}")
        if time.monotonic() > deadline:
            raise BenchError(f"job {job_id} still {status} after {args.job_timeout:.0f} s")
        time.sleep(0.5)


def warm_proxima(session, args, path: str) -> dict[str, Any]:
    """The first WARMUP_CALLS calls, from this process; checks every answer."""
    url = args.origin + path
    first = None
    t0 = time.perf_counter()
    for i in range(WARMUP_CALLS):
        r = session.post(url, data=BODY, headers={"Content-Type": "application/json"}, timeout=30)
        if r.status_code != 200:
            raise BenchError(f"POST {path} answered {r.status_code} on call {i + 1}: {r.text[:500]}")
        if first is None:
            first = r.json()
            if "action" not in first:
                raise BenchError(f"POST {path} answered without an action: {r.text[:500]}")
    return {"first_answer": first, "seconds": time.perf_counter() - t0}


# -- FastAPI + SB3 -----------------------------------------------------------------------------

class Sb3Server:
    def __init__(self, args, workdir: str):
        self.args = args
        self.workdir = workdir
        self.port = args.sb3_port or free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path = os.path.join(workdir, "sb3_server.log")

    def start(self) -> None:
        app = os.path.join(self.workdir, "sb3_act_server.py")
        with open(app, "w") as f:
            f.write(SB3_APP)
        env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONUNBUFFERED="1")
        cmd = [sys.executable, app, "--model", os.path.join(self.workdir, "ppo_cartpole.zip"),
               "--train-steps", str(self.args.sb3_train_steps), "--port", str(self.port),
               "--loop", self.args.sb3_loop, "--http", self.args.sb3_http]
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        deadline = time.monotonic() + 120 + self.args.sb3_train_steps / 500
        while not port_open("127.0.0.1", self.port):
            if self.proc.poll() is not None:
                raise BenchError(f"the FastAPI server exited ({self.proc.returncode}):\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise BenchError(f"the FastAPI server did not open port {self.port}:\n{self.log_text()}")
            time.sleep(0.2)

    def log_text(self) -> str:
        try:
            with open(self.log_path) as f:
                return f.read()[-3000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: the server and nothing else
        except ProcessLookupError:
            return
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        self.log.close()


def uvicorn_stack(args) -> str:
    import importlib.util
    loop = args.sb3_loop if args.sb3_loop != "auto" else (
        "uvloop" if importlib.util.find_spec("uvloop") else "asyncio")
    http = args.sb3_http if args.sb3_http != "auto" else (
        "httptools" if importlib.util.find_spec("httptools") else "h11")
    return f"loop {loop}, http {http}"


# -- summary -----------------------------------------------------------------------------------

def table(measured: list[WrkRun]) -> str:
    lines = ["| Side | Connections | p50 ms | p90 ms | p99 ms | p99.9 ms | Requests/s | Calls |",
             "|---|---|---|---|---|---|---|---|"]
    for r in measured:
        lat = r.latency_us
        name = "Proxima /act" if r.side == "proxima" else "SB3 + FastAPI"
        lines.append(f"| {name} | {r.connections} | {ms(lat.get('p50'))} | {ms(lat.get('p90'))} | "
                     f"{ms(lat.get('p99'))} | {ms(lat.get('p99_9'))} | {fmt_int(r.rps)} | {fmt_int(r.requests)} |")
    return "\n".join(lines)


def targets(measured: list[WrkRun], rss_warm, rss_end, calls: int, calls_target: int | None) -> list[dict[str, Any]]:
    def find(side, c):
        return next((r for r in measured if r.side == side and r.connections == c), None)

    out = []

    def add(name, value, ok, note=""):
        out.append({"target": name, "value": value, "met": ok, "note": note})

    p1, p16, f16 = find("proxima", 1), find("proxima", 16), find("fastapi", 16)
    if p1:
        add("Proxima 1 conn p50 <= 0.2 ms", f"{ms(p1.latency_us['p50'])} ms", p1.latency_us["p50"] <= 200)
        add("Proxima 1 conn p99 <= 1 ms", f"{ms(p1.latency_us['p99'])} ms", p1.latency_us["p99"] <= 1000)
    else:
        add("Proxima 1 conn p50 <= 0.2 ms, p99 <= 1 ms", "n/a", None, "no 1-connection run")
    if p16 and f16 and f16.rps:
        add("Proxima 16 conn >= 10x FastAPI req/s", f"{p16.rps / f16.rps:.1f}x", p16.rps >= 10 * f16.rps)
    else:
        add("Proxima 16 conn >= 10x FastAPI req/s", "n/a", None, "needs 16-connection runs of both sides")
    if p16:
        add("Proxima 16 conn p99 <= 5 ms", f"{ms(p16.latency_us['p99'])} ms", p16.latency_us["p99"] <= 5000)
    else:
        add("Proxima 16 conn p99 <= 5 ms", "n/a", None, "no 16-connection run")
    if rss_warm and rss_end:
        growth = rss_end["VmRSS"] - rss_warm["VmRSS"]
        note = f"after {fmt_int(calls)} calls"
        if not calls_target or calls < 1_000_000:
            note += " (the target is about 1M: --calls-total 1000000)"
        add(f"RSS growth after 1k -> end <= {RSS_BUDGET_MIB:.0f} MiB", f"{growth:+,.0f} MiB",
            growth <= RSS_BUDGET_MIB, note)
    else:
        add(f"RSS growth after 1k -> end <= {RSS_BUDGET_MIB:.0f} MiB", "n/a", None,
            "no reading" if rss_warm or rss_end else "no pid (--pid, or a local URL whose port ss can see)")
    return out


def fmt_met(ok) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


# -- main --------------------------------------------------------------------------------------

def parse_ints(text: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers, got {text!r}") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"expected positive integers, got {text!r}")
    return values


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Proxima /act under wrk beside SB3's policy behind FastAPI + uvicorn.",
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--url", help="the running Proxima service, e.g. http://localhost:8080 (needed unless --skip-proxima)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--job", help="the id of a job with a checkpoint (a CartPole-v1 one: 4 observation values)")
    which.add_argument("--submit", action="store_true", help="submit a short CartPole-v1 job and use it")
    p.add_argument("--submit-timesteps", type=int, default=20_000, help="the --submit job's totalTimesteps")
    p.add_argument("--job-timeout", type=float, default=900.0, help="seconds to wait for the --submit job")
    p.add_argument("--checkpoint", default=None, help="?checkpoint= for /act (latest, best or an iteration); default none")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per measured wrk run")
    p.add_argument("--warmup", type=float, default=3.0, help="seconds of wrk warm-up per side (0: none)")
    p.add_argument("--connections", type=parse_ints, default="1,16", help="comma-separated wrk -c values")
    p.add_argument("--threads", type=int, default=1, help="wrk -t (at most the connections)")
    p.add_argument("--timeout", type=int, default=5, help="wrk --timeout, whole seconds")
    p.add_argument("--calls-total", type=int, default=None, metavar="N",
                   help="after the measured runs, go on with 16-connection wrk runs until about N Proxima calls "
                        "have been made in all (1000000 for the memory target)")
    p.add_argument("--pid", type=int, default=None, help="the Proxima server's pid, for its RSS (default: found by port)")
    p.add_argument("--skip-sb3", action="store_true", help="no FastAPI + SB3 side")
    p.add_argument("--skip-proxima", action="store_true", help="no Proxima side")
    p.add_argument("--sb3-train-steps", type=int, default=0,
                   help="train the SB3 policy this many steps first (0: untrained; predict's time is the same)")
    p.add_argument("--sb3-port", type=int, default=0, help="the FastAPI server's port (0: a free one)")
    p.add_argument("--sb3-loop", default="auto", choices=["auto", "asyncio", "uvloop"], help="uvicorn --loop")
    p.add_argument("--sb3-http", default="auto", choices=["auto", "h11", "httptools"], help="uvicorn --http")
    p.add_argument("--wrk", default=shutil.which("wrk") or "/usr/bin/wrk", help="the wrk binary")
    p.add_argument("--json", metavar="FILE", help="also write every run's figures to FILE")
    args = p.parse_args(argv)

    if args.skip_proxima and args.skip_sb3:
        p.error("everything is skipped")
    if not os.path.exists(args.wrk):
        p.error(f"no wrk at {args.wrk}: apt-get install wrk, or pass --wrk")
    if not args.skip_proxima:
        if not args.url:
            p.error("--url is needed (or --skip-proxima)")
        if not (args.job or args.submit):
            p.error("pass --job <id> or --submit")
        args.url = args.url.rstrip("/")
        parts = urlsplit(args.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            p.error(f"--url must be http(s)://host[:port][/prefix], got {args.url!r}")
        args.origin = f"{parts.scheme}://{parts.netloc}"
        args.prefix = parts.path.rstrip("/")
    try:
        import requests
    except ImportError as e:
        p.error(f"{e}: run scripts/bench-venv.sh and use its python")
    if not args.skip_sb3:
        missing = []
        for module in ("stable_baselines3", "torch", "gymnasium", "fastapi", "uvicorn"):
            try:
                __import__(module)
            except ImportError:
                missing.append(module)
        if missing:
            p.error(f"this python ({sys.executable}) lacks {', '.join(missing)}: run scripts/bench-venv.sh (fastapi "
                    f"and uvicorn: .bench/venv/bin/pip install --index-url file:///opt/pypi/simple "
                    f"--extra-index-url file:///opt/pypi-more/simple --find-links /opt/wheels fastapi "
                    f"'uvicorn[standard]'), or pass --skip-sb3")

    print(f"# /act under wrk: connections {','.join(map(str, args.connections))}, {args.duration:g} s per run, "
          f"{args.warmup:g} s warm-up per side, wrk -t{args.threads}")
    print(f"# {machine_line(with_load=True)}")
    print(f"# {wrk_version(args.wrk)}; "
          + versions(["stable-baselines3", "torch", "fastapi", "uvicorn", "uvloop", "httptools", "pydantic"]
                     if not args.skip_sb3 else ["requests"]))
    print(f"# body {BODY}")
    sys.stdout.flush()

    all_runs: list[WrkRun] = []
    measured: list[WrkRun] = []
    problems: list[str] = []
    report: dict[str, Any] = {"config": {k: v for k, v in vars(args).items()}, "machine": machine_line(with_load=True)}
    rss_warm = rss_end = None
    rss_samples: list[dict[str, Any]] = []
    proxima_calls = 0
    pid = None

    def wrk(side, base, path, c, duration, kind="measured") -> WrkRun:
        run = run_wrk(args, side, base, path, c, duration, kind)
        all_runs.append(run)
        print(describe(run), flush=True)
        problem = run.problems()
        if problem:
            problems.append(f"{side} {kind} {c} conn: {problem}")
        return run

    workdir = tempfile.mkdtemp(prefix="bench_act_")
    sb3 = None
    status = 0
    try:
        # -- Proxima -----------------------------------------------------------------------
        if not args.skip_proxima:
            session = requests.Session()
            if os.environ.get("PROXIMA_API_KEY"):
                session.headers["Authorization"] = f"Bearer {os.environ['PROXIMA_API_KEY']}"
            if args.submit:
                args.job = submit_job(session, args)
            path = proxima_path(args)
            pid = args.pid
            if pid is None and (urlsplit(args.url).hostname in ("localhost", "127.0.0.1", "::1", socket.gethostname())):
                pid = pid_listening_on(urlsplit(args.url).port or (443 if args.url.startswith("https") else 80))
            warm = warm_proxima(session, args, path)
            proxima_calls += WARMUP_CALLS
            session.close()
            rss_warm = read_rss(pid) if pid else None
            print(f"# Proxima: {args.origin}{path}, job {args.job}, first answer {json.dumps(warm['first_answer'])}")
            print(f"# Proxima pid {pid if pid else 'unknown (pass --pid for memory figures)'}; after "
                  f"{WARMUP_CALLS:,} calls ({warm['seconds']:.1f} s from Python requests): {fmt_rss(rss_warm)}",
                  flush=True)
            if rss_warm:
                rss_samples.append({"calls": proxima_calls, **rss_warm})
            if args.warmup > 0:
                proxima_calls += wrk("proxima", args.origin, path, max(args.connections), args.warmup, "warmup").requests
            for c in args.connections:
                run = wrk("proxima", args.origin, path, c, args.duration)
                proxima_calls += run.requests
                measured.append(run)

        # -- FastAPI + SB3 -------------------------------------------------------------------
        if not args.skip_sb3:
            sb3 = Sb3Server(args, workdir)
            print(f"# SB3 + FastAPI: starting uvicorn (one worker, {uvicorn_stack(args)}) on port {sb3.port}",
                  flush=True)
            sb3.start()
            base = f"http://127.0.0.1:{sb3.port}"
            r = requests.post(f"{base}/act", data=BODY, headers={"Content-Type": "application/json"}, timeout=30)
            if r.status_code != 200 or not isinstance(r.json().get("action"), int):
                raise BenchError(f"the FastAPI server answered {r.status_code}: {r.text[:500]}")
            policy_line = next((l for l in sb3.log_text().splitlines() if l.startswith("policy:")), "policy: ?")
            print(f"# SB3 + FastAPI: {base}/act, PPO('MlpPolicy') CartPole-v1 {policy_line[len('policy: '):]}, "
                  f"first answer {r.text}", flush=True)
            if args.warmup > 0:
                wrk("fastapi", base, "/act", max(args.connections), args.warmup, "warmup")
            for c in args.connections:
                measured.append(wrk("fastapi", base, "/act", c, args.duration))
            sb3.stop()
            sb3 = None

        # -- the long run, for memory ----------------------------------------------------------
        if not args.skip_proxima and args.calls_total and proxima_calls < args.calls_total:
            print(f"# going on to about {args.calls_total:,} Proxima calls at 16 connections", flush=True)
            rate = next((r.rps for r in reversed(measured) if r.side == "proxima" and r.connections == 16), 0) or 1000.0
            while proxima_calls < args.calls_total:
                remaining = args.calls_total - proxima_calls
                chunk = min(60.0, max(2.0, remaining / rate))
                run = wrk("proxima", args.origin, path, 16, chunk, "calls")
                proxima_calls += run.requests
                rate = run.rps or rate
                sample = read_rss(pid) if pid else None
                if sample:
                    rss_samples.append({"calls": proxima_calls, **sample})
                print(f"    {proxima_calls:,} calls of {args.calls_total:,}; {fmt_rss(sample)}", flush=True)
                if run.problems():
                    break

        if not args.skip_proxima:
            rss_end = read_rss(pid) if pid else None
            if rss_end and (not rss_samples or rss_samples[-1]["calls"] != proxima_calls):
                rss_samples.append({"calls": proxima_calls, **rss_end})
    except BenchError as e:
        print(f"\nFAILED: {e}", flush=True)
        status = 1
    except KeyboardInterrupt:
        print("\ninterrupted; the summary covers the runs that finished", flush=True)
        status = 1
    finally:
        if sb3 is not None:
            sb3.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(table(measured))
    print()
    for c in args.connections:
        pr = next((r for r in measured if r.side == "proxima" and r.connections == c), None)
        fa = next((r for r in measured if r.side == "fastapi" and r.connections == c), None)
        if pr and fa and fa.rps and pr.latency_us.get("p50"):
            print(f"{c} conn: requests/s Proxima/FastAPI {pr.rps / fa.rps:.1f}x; latency FastAPI/Proxima "
                  f"p50 {fa.latency_us['p50'] / pr.latency_us['p50']:.1f}x, "
                  f"p99 {fa.latency_us['p99'] / max(pr.latency_us['p99'], 1):.1f}x")
    if not args.skip_proxima:
        print(f"Proxima RSS after {WARMUP_CALLS:,} calls: {fmt_rss(rss_warm)}; after {proxima_calls:,} calls: "
              f"{fmt_rss(rss_end)}")
    results = targets(measured, rss_warm, rss_end, proxima_calls, args.calls_total)
    print()
    print("| Target (reported, not asserted) | Value | |")
    print("|---|---|---|")
    for t in results:
        print(f"| {t['target']} | {t['value']} | {fmt_met(t['met'])}{' - ' + t['note'] if t['note'] else ''} |")
    print()
    print("Latencies from wrk (closed loop, keep-alive, send to answer read), in ms. wrk and both servers "
          "share this machine's cores.")
    if problems:
        print("\nFAILED: bad responses or socket errors:")
        for pr in problems:
            print(f"  {pr}")
        status = 1

    if args.json:
        report["config"]["connections"] = args.connections
        report.update(runs=[asdict(r) for r in all_runs], measured=[asdict(r) for r in measured],
                      proxima_calls=proxima_calls, rss_after_warmup=rss_warm, rss_end=rss_end,
                      rss_samples=rss_samples, proxima_pid=pid, targets=results, problems=problems,
                      ok=status == 0)
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2, default=str)
    return status


if __name__ == "__main__":
    sys.exit(main())
