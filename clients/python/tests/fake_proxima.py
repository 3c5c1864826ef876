"""An in-process fake of Proxima's runner protocol, strict about what runners send.

It implements the runner protocol's semantics (README) (not the training): job submission,
attach/detach, steps with sequence checks and full body validation, 202/410/404, plus GET
job and /act. Faults are scripted per (attachment number, sequence): each arrival of that
step pops the next fault from the list:

* ``"202"``: answer 202 with Retry-After (the retry must carry the same body);
* ``"503"``: answer 503; ``"drop"``: close the connection without answering;
* ``"drop_after"``: accept the step, then close the connection without answering (the retry
  must get the same actions and must not count twice);
* ``"restart"``: forget every runner of the job, as a restarted service does (-> 404).
"""

from __future__ import annotations

import json
import math
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable


class Problem(Exception):
    def __init__(self, status: int, detail: str, field_: str | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.status, self.detail, self.field, self.headers = status, detail, field_, headers or {}


class Drop(Exception):
    pass


@dataclass
class RunnerState:
    id: str
    num_envs: int
    slots: list[int]
    attach_no: int
    last_seq: int = -1
    bodies: dict[int, Any] = field(default_factory=dict)  # the first body seen for each sequence
    answers: dict[int, list] = field(default_factory=dict)


@dataclass
class Job:
    id: str
    token: str
    request: dict
    num_envs: int
    obs_size: int
    action_space: dict
    masks: bool
    seed: int
    end_after_steps: int | None
    end_status: tuple[str, str] = ("SUCCEEDED", "TOTAL_TIMESTEPS")
    status: str = "QUEUED"
    stop_reason: str | None = None
    runners: dict[str, RunnerState] = field(default_factory=dict)
    free_slots: list[int] = field(default_factory=list)
    attach_count: int = 0
    refuse_attaches: int = 0  # answer this many attaches with 409 (copies not free yet)
    hold_until_full: bool = False  # as the service: steps wait (202) until every copy is attached
    accepted_steps: int = 0  # new (not replayed) step calls answered 200
    timesteps: int = 0
    returns: list[float] = field(default_factory=list)
    running_return: dict[int, float] = field(default_factory=dict)
    log: list[dict] = field(default_factory=list)  # accepted steps: attach_no, runner, sequence, body, actions
    events: list[tuple] = field(default_factory=list)  # ("attach", no, seeds) ("detach", id) ("202", no, seq) ...


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _check_vector(v, size: int, field_: str):
    if not isinstance(v, list) or len(v) != size:
        raise Problem(422, f"{field_}: expected {size} values, got {v!r:.80}", field_)
    for j, x in enumerate(v):
        if not _number(x):
            raise Problem(422, f"{field_}[{j}]: not a number", f"{field_}[{j}]")
        if not math.isfinite(x):
            raise Problem(422, f"{field_}[{j}]: not finite", f"{field_}[{j}]")


def _check_space(space, field_: str, is_action: bool) -> int:
    if not isinstance(space, dict):
        raise Problem(422, f"{field_}: missing", field_)
    t = space.get("type")
    if t == "box":
        shape = space.get("shape")
        if not (isinstance(shape, list) and len(shape) == 1 and isinstance(shape[0], int) and shape[0] > 0):
            raise Problem(422, f"{field_}.shape: must be [size]", f"{field_}.shape")
        for side in ("low", "high"):
            b = space.get(side)
            if not isinstance(b, list) or len(b) != shape[0]:
                raise Problem(422, f"{field_}.{side}: wrong length", f"{field_}.{side}")
            for x in b:
                if x is None and not is_action:
                    continue
                if not _number(x):
                    raise Problem(422, f"{field_}.{side}: must be finite numbers", f"{field_}.{side}")
        return shape[0]
    if not is_action:
        raise Problem(422, f"{field_}.type: observations are boxes", f"{field_}.type")
    if t == "discrete":
        if not isinstance(space.get("n"), int) or space["n"] < 1:
            raise Problem(422, f"{field_}.n: must be >= 1", f"{field_}.n")
        return space["n"]
    if t == "multiDiscrete":
        nvec = space.get("nvec")
        if not (isinstance(nvec, list) and nvec and all(isinstance(x, int) and x >= 1 for x in nvec)):
            raise Problem(422, f"{field_}.nvec: must be positive integers", f"{field_}.nvec")
        return sum(nvec)
    raise Problem(422, f"{field_}.type: unknown {t!r}", f"{field_}.type")


def default_actions(seq: int, i: int, space: dict, mask: list[bool] | None):
    """Deterministic, allowed actions that differ by copy and by step."""
    t = space["type"]
    if t == "discrete":
        allowed = [a for a in range(space["n"]) if mask is None or mask[a]]
        return allowed[(seq + i) % len(allowed)]
    if t == "multiDiscrete":
        out, offset = [], 0
        for d, n in enumerate(space["nvec"]):
            allowed = [a for a in range(n) if mask is None or mask[offset + a]]
            out.append(allowed[(seq + i + d) % len(allowed)])
            offset += n
        return out
    lo, hi = space["low"], space["high"]
    return [lo[j] + (hi[j] - lo[j]) * ((seq + i + j) % 5) / 4 for j in range(len(lo))]


class FakeProxima:
    def __init__(self, *, retry_after: str = "0", act_fn: Callable | None = None):
        self.jobs: dict[str, Job] = {}
        self.faults: dict[tuple[int, int], list[str]] = {}
        self.retry_after = retry_after
        self.act_fn = act_fn
        self.act_calls: list[dict] = []
        self.http_end_after_steps: int | None = 50  # for jobs submitted over HTTP (the CLI tests)
        self.http_end_status = ("SUCCEEDED", "TOTAL_TIMESTEPS")
        self.idempotency: dict[str, str] = {}
        self.lock = threading.RLock()
        self.requests = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # one write per response: no Nagle / delayed-ACK stalls on keep-alive

            def log_message(self, *args):
                pass

            def _handle(self, method: str):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    status, body, headers = fake.dispatch(method, self.path, self.headers, raw)
                except Drop:
                    self.close_connection = True
                    return
                except Problem as p:
                    status, headers = p.status, p.headers
                    body = {"type": "about:blank", "title": "Problem", "status": p.status, "detail": p.detail}
                    if p.field:
                        body["field"] = p.field
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                ctype = "application/problem+json" if status >= 400 else "application/json"
                if data:
                    self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._handle("GET")

            def do_POST(self):
                self._handle("POST")

            def do_DELETE(self):
                self._handle("DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    # -- jobs ----------------------------------------------------------------------------

    def create_job(self, request: dict, *, end_after_steps: int | None = None) -> Job:
        env = request.get("environment") or {}
        ext = env.get("external")
        if not isinstance(ext, dict):
            raise Problem(422, "environment.external: missing", "environment.external")
        obs_size = _check_space(ext.get("observationSpace"), "environment.external.observationSpace", False)
        _check_space(ext.get("actionSpace"), "environment.external.actionSpace", True)
        num_envs = env.get("numEnvs", 1)
        if not isinstance(num_envs, int) or num_envs < 1:
            raise Problem(422, "environment.numEnvs: must be >= 1", "environment.numEnvs")
        job = Job(id=str(uuid.uuid4()), token=uuid.uuid4().hex, request=request, num_envs=num_envs,
                  obs_size=obs_size, action_space=ext["actionSpace"], masks=bool(ext.get("actionMasks")),
                  seed=int(request.get("seed", 1000)), end_after_steps=end_after_steps,
                  free_slots=list(range(num_envs)))
        with self.lock:
            self.jobs[job.id] = job
        return job

    def restart(self, job: Job) -> None:
        """Forget the job's runners, as a restarted service does."""
        with self.lock:
            job.runners.clear()
            job.free_slots = list(range(job.num_envs))
            job.events.append(("restart",))

    def finish(self, job: Job, status: str = "SUCCEEDED", reason: str = "TOTAL_TIMESTEPS") -> None:
        with self.lock:
            job.status, job.stop_reason = status, reason

    def job_json(self, job: Job) -> dict:
        recent = job.returns[-100:]
        return {"id": job.id, "name": job.request.get("name"), "status": job.status,
                "environment": job.request.get("environment"), "totalTimesteps": job.request.get("totalTimesteps"),
                "timesteps": job.timesteps, "iteration": job.accepted_steps // 4,
                "episodeReturnMean": (sum(recent) / len(recent)) if recent else None,
                "stopReason": job.stop_reason, "request": job.request,
                "runners": [{"id": r.id, "numEnvs": r.num_envs} for r in job.runners.values()],
                "attachedEnvs": sum(r.num_envs for r in job.runners.values())}

    # -- dispatch ------------------------------------------------------------------------

    def dispatch(self, method: str, path: str, headers, raw: bytes):
        with self.lock:
            self.requests += 1
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                raise Problem(400, "malformed JSON")
            parts = [p for p in path.split("?")[0].split("/") if p]
            if parts[:2] == ["api", "jobs"]:
                if len(parts) == 2 and method == "POST":
                    return self._submit(body, headers)
                job = self.jobs.get(parts[2]) if len(parts) > 2 else None
                if job is None:
                    raise Problem(404, "unknown job")
                if len(parts) == 3 and method == "GET":
                    return 200, self.job_json(job), {}
                if len(parts) == 4 and parts[3] == "cancel" and method == "POST":
                    self.finish(job, "CANCELLED", "CANCELLED")
                    return 200, self.job_json(job), {}
                if len(parts) >= 4 and parts[3] == "runners":
                    self._auth(job, headers)
                    if len(parts) == 4 and method == "POST":
                        return self._attach(job, body)
                    if len(parts) == 5 and method == "DELETE":
                        return self._detach(job, parts[4])
                    if len(parts) == 6 and parts[5] == "steps" and method == "POST":
                        return self._step(job, parts[4], body)
            if parts[:2] == ["api", "policies"] and len(parts) == 4 and parts[3] == "act" and method == "POST":
                self.act_calls.append(body)
                job = self.jobs.get(parts[2])
                if job is None:
                    raise Problem(404, "unknown job")
                _check_vector(body.get("observation"), job.obs_size, "observation")
                action = (self.act_fn or (lambda b, j: default_actions(0, 0, j.action_space, b.get("actionMask"))))(body, job)
                return 200, {"action": action, "checkpoint": {"iteration": 1}}, {}
            raise Problem(404, f"no route {method} {path}")

    def _submit(self, body, headers):
        key = headers.get("Idempotency-Key")
        if key and key in self.idempotency:
            job = self.jobs[self.idempotency[key]]
            return 200, self.job_json(job), {"Idempotent-Replayed": "true"}
        job = self.create_job(body or {}, end_after_steps=self.http_end_after_steps)
        job.end_status = self.http_end_status
        if key:
            self.idempotency[key] = job.id
        return 201, {**self.job_json(job), "runnerToken": job.token}, {"Location": f"/api/jobs/{job.id}"}

    def _auth(self, job: Job, headers):
        auth = headers.get("Authorization") or ""
        if not auth.startswith("Bearer "):
            raise Problem(401, "missing runner token")
        token = auth[len("Bearer "):]
        if token != job.token:
            if any(token == j.token for j in self.jobs.values()):
                raise Problem(404, "unknown job")
            raise Problem(401, "wrong runner token")

    def _attach(self, job: Job, body):
        n = (body or {}).get("numEnvs")
        if not isinstance(n, int) or n < 1:
            raise Problem(422, "numEnvs: must be >= 1", "numEnvs")
        if job.status in ("SUCCEEDED", "FAILED", "CANCELLED"):
            raise Problem(409, "the job has finished")
        if job.refuse_attaches > 0:
            job.refuse_attaches -= 1
            job.events.append(("409",))
            raise Problem(409, "the job has 0 free copies")
        if n > len(job.free_slots):
            raise Problem(409, f"the job has {len(job.free_slots)} free copies, asked for {n}")
        slots, job.free_slots = job.free_slots[:n], job.free_slots[n:]
        job.attach_count += 1
        r = RunnerState(id=str(uuid.uuid4()), num_envs=n, slots=slots, attach_no=job.attach_count)
        job.runners[r.id] = r
        seeds = [job.seed + s for s in slots]
        job.events.append(("attach", r.attach_no, seeds))
        if not job.free_slots:
            job.status = "RUNNING"
        return 201, {"runnerId": r.id, "numEnvs": n, "leaseSeconds": 60, "seeds": seeds}, {}

    def _detach(self, job: Job, runner_id: str):
        r = job.runners.pop(runner_id, None)
        if r is None:
            raise Problem(404, "runner not attached")
        job.free_slots.extend(r.slots)
        job.events.append(("detach", r.attach_no))
        return 204, None, {}

    def _step(self, job: Job, runner_id: str, body):
        if job.status in ("SUCCEEDED", "FAILED", "CANCELLED"):
            raise Problem(410, "the job has finished")
        r = job.runners.get(runner_id)
        if r is None:
            raise Problem(404, "runner not attached")
        if not isinstance(body, dict) or not isinstance(body.get("sequence"), int):
            raise Problem(422, "sequence: required", "sequence")
        seq = body["sequence"]
        if seq not in (r.last_seq, r.last_seq + 1):
            raise Problem(409, f"sequence: expected {r.last_seq + 1}, got {seq}", "sequence")
        if seq in r.bodies and r.bodies[seq] != body:
            raise Problem(422, f"sequence {seq} re-sent with a different body", "sequence")
        r.bodies.setdefault(seq, body)
        if job.hold_until_full and job.free_slots:
            return 202, {"sequence": seq, "retryAfterSeconds": 0.0}, {"Retry-After": "0"}
        faults = self.faults.get((r.attach_no, seq))
        fault = faults.pop(0) if faults else None
        if fault == "202":
            job.events.append(("202", r.attach_no, seq))
            return 202, {"sequence": seq, "retryAfterSeconds": float(self.retry_after)}, {"Retry-After": self.retry_after}
        if fault == "503":
            job.events.append(("503", r.attach_no, seq))
            raise Problem(503, "unavailable", headers={"Retry-After": "0"})
        if fault == "drop":
            job.events.append(("drop", r.attach_no, seq))
            raise Drop()
        if fault == "restart":
            self.restart(job)
            raise Problem(404, "runner not attached")
        if seq == r.last_seq:  # a retry of an answered step: same actions, counted once
            job.events.append(("replay", r.attach_no, seq))
            return 200, {"sequence": seq, "actions": r.answers[seq], "policyVersion": 0}, {}
        self._validate(job, r, body)
        masks = body.get("actionMasks")
        actions = [default_actions(seq, i, job.action_space, masks[i] if masks else None) for i in range(r.num_envs)]
        r.answers[seq] = actions
        r.last_seq = seq
        job.accepted_steps += 1
        self._account(job, r, body)
        job.log.append({"attach": r.attach_no, "runner": r.id, "sequence": seq, "body": body, "actions": actions})
        if job.end_after_steps is not None and job.accepted_steps >= job.end_after_steps:
            job.status, job.stop_reason = job.end_status
        if fault == "drop_after":
            job.events.append(("drop_after", r.attach_no, seq))
            raise Drop()
        return 200, {"sequence": seq, "actions": actions, "policyVersion": job.accepted_steps // 10}, {}

    def _account(self, job: Job, r: RunnerState, body):
        if body["sequence"] == 0:
            for s in r.slots:
                job.running_return[s] = 0.0
            return
        job.timesteps += r.num_envs
        for i, s in enumerate(r.slots):
            job.running_return[s] = job.running_return.get(s, 0.0) + body["rewards"][i]
            if body["terminated"][i] or body["truncated"][i]:
                job.returns.append(job.running_return[s])
                job.running_return[s] = 0.0

    def _validate(self, job: Job, r: RunnerState, body):
        k = r.num_envs
        allowed = {"sequence", "observations", "rewards", "terminated", "truncated", "finalObservations", "actionMasks"}
        unknown = set(body) - allowed
        if unknown:
            raise Problem(400, f"unknown fields {sorted(unknown)}")
        obs = body.get("observations")
        if not isinstance(obs, list) or len(obs) != k:
            raise Problem(422, f"observations: expected {k}", "observations")
        for i, o in enumerate(obs):
            _check_vector(o, job.obs_size, f"observations[{i}]")
        step_fields = ("rewards", "terminated", "truncated", "finalObservations")
        if body["sequence"] == 0:
            present = [f for f in step_fields if body.get(f) is not None]
            if present:
                raise Problem(422, f"{present[0]}: sequence 0 carries only observations", present[0])
        else:
            rewards = body.get("rewards")
            _check_vector(rewards, k, "rewards")
            flags = {}
            for name in ("terminated", "truncated"):
                v = body.get(name)
                if not isinstance(v, list) or len(v) != k or not all(isinstance(x, bool) for x in v):
                    raise Problem(422, f"{name}: expected {k} booleans", name)
                flags[name] = v
            finals = body.get("finalObservations")
            if not isinstance(finals, dict):
                raise Problem(422, "finalObservations: required", "finalObservations")
            need = {str(i) for i in range(k) if flags["truncated"][i] and not flags["terminated"][i]}
            if set(finals) - need:
                raise Problem(422, f"finalObservations: unexpected copies {sorted(set(finals) - need)}",
                              "finalObservations")
            if need - set(finals):
                raise Problem(422, f"finalObservations: missing the final observation of copies "
                                   f"{sorted(need - set(finals))}", "finalObservations")
            for key, o in finals.items():
                _check_vector(o, job.obs_size, f"finalObservations.{key}")
        masks = body.get("actionMasks")
        if job.masks:
            if not isinstance(masks, list) or len(masks) != k:
                raise Problem(422, f"actionMasks: expected {k}", "actionMasks")
            space = job.action_space
            dims = [space["n"]] if space["type"] == "discrete" else space["nvec"]
            for i, m in enumerate(masks):
                if not isinstance(m, list) or len(m) != sum(dims) or not all(isinstance(x, bool) for x in m):
                    raise Problem(422, f"actionMasks[{i}]: expected {sum(dims)} booleans", f"actionMasks[{i}]")
                offset = 0
                for n in dims:
                    if not any(m[offset:offset + n]):
                        raise Problem(422, f"actionMasks[{i}]: allows nothing", f"actionMasks[{i}]")
                    offset += n
        elif masks is not None:
            raise Problem(422, "actionMasks: the job has no action masks", "actionMasks")
