"""A runner: attaches to an external job and steps environment copies until the job ends.

The loop (the runner protocol in the repository README)::

    attach (POST /api/jobs/{id}/runners)  ->  runnerId, seeds
    reset copy i with seeds[i]; sequence = 0
    repeat: POST .../steps {sequence, observations, rewards, ...} -> actions; step the copies

* 202: the service is waiting for a policy update or other runners; the transport sleeps
  ``Retry-After`` and re-sends the same bytes (same ``sequence``), so rewards count once.
* connection errors, 502/503/504: same body again, with backoff, for up to
  ``max_retry_seconds`` (a service restart).
* 404: this runner is not attached any more (restart, lost lease): attach again, reset the
  copies and start over at sequence 0. The episodes that were running are cut by the service.
* 410: the job finished or was cancelled; :meth:`Runner.run` returns.
* other 4xx: :class:`ProximaError` with the problem's detail.

On the way out (an exception, KeyboardInterrupt, :meth:`Runner.close`) the runner detaches
(DELETE) so its copies free up at once instead of after the lease.
"""

from __future__ import annotations

import json
import logging
from urllib.parse import quote
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import gymnasium as gym

from .copies import EnvCopies, MaskFn, VectorEnvCopies
from .errors import ProximaError
from .transport import Transport, raise_for_problem

log = logging.getLogger("proxima_client")


def _problem_detail(resp) -> str:
    try:
        return str(resp.json().get("detail"))
    except (ValueError, AttributeError):
        return resp.text[:200]


class _JobEnded(Exception):
    pass


class _Detached(Exception):
    pass


@dataclass
class RunResult:
    """What a finished :meth:`Runner.run` did."""

    steps: int = 0  # protocol steps answered (over all attachments)
    env_steps: int = 0  # environment transitions sent (steps after sequence 0, times copies)
    episodes: int = 0  # episodes that ended on this runner's copies
    attachments: int = 0  # 1 + re-attaches after 404
    policy_version: int | None = None
    job_ended: bool = False


class Runner:
    """Steps ``num_envs`` copies for one job.

    Give either ``env_fns`` (factories; the runner makes and owns the copies) or
    ``vector_env`` (a Gymnasium VectorEnv in the SAME_STEP or DISABLED autoreset mode; the
    caller owns it). ``action_masks`` says whether the job has masks; ``None`` asks the service
    (the job's request). Masks come from ``info["action_mask"]`` unless ``action_mask_fn`` is
    given: ``fn(env, info)`` per copy for factories, ``fn(vector_env, infos)`` (one mask per
    copy) for a vector env.
    """

    def __init__(self, url: str, job_id: str, token: str, *,
                 env_fns: Sequence[Callable[[], gym.Env]] | None = None,
                 vector_env: gym.vector.VectorEnv | None = None,
                 autoreset_mode: Any = None,
                 action_masks: bool | None = None, action_mask_fn: MaskFn | None = None,
                 max_retry_seconds: float = 600.0, transport: Transport | None = None,
                 max_reattaches_without_progress: int = 5):
        if (env_fns is None) == (vector_env is None):
            raise ValueError("give exactly one of env_fns and vector_env")
        self.job_id = job_id
        self.transport = transport or Transport(url, max_retry_seconds=max_retry_seconds)
        self.transport.token = token
        if action_masks is None:
            action_masks = self._job_uses_masks()
        if env_fns is not None:
            self.copies = EnvCopies(env_fns, action_masks=action_masks, action_mask_fn=action_mask_fn)
            self._owns_copies = True
        else:
            self.copies = VectorEnvCopies(vector_env, autoreset_mode=autoreset_mode,
                                          action_masks=action_masks, action_mask_fn=action_mask_fn)
            self._owns_copies = False
        self.num_envs = self.copies.num_envs
        self.runner_id: str | None = None
        self.result = RunResult()
        self._max_reattaches = max_reattaches_without_progress
        self._conflict_since: float | None = None
        self._conflict_delay = 0.0
        self._closed = False
        self._copies_closed = False

    # -- service calls ---------------------------------------------------------------------

    def _path(self, *parts: str) -> str:
        return "/".join([f"/api/jobs/{quote(self.job_id, safe='')}", *(quote(p, safe="") for p in parts)])

    def _job_uses_masks(self) -> bool:
        try:
            job = self.transport.json("GET", self._path())
        except ProximaError as e:  # attaching will report what is wrong with the job
            log.debug("could not read the job to see whether it uses action masks: %s", e)
            return False
        external = (((job or {}).get("request") or {}).get("environment") or {}).get("external") or {}
        return bool(external.get("actionMasks", False))

    def _attach(self, reattach: bool) -> list[int | None]:
        path = self._path("runners")
        while True:
            resp = self.transport.request("POST", path, {"numEnvs": self.num_envs})
            if resp.status_code == 201:
                body = resp.json()
                self.runner_id = str(body["runnerId"])
                seeds = body.get("seeds") or [None] * self.num_envs
                if len(seeds) != self.num_envs:
                    raise ProximaError(201, {"detail": f"attach answered {len(seeds)} seeds for {self.num_envs} copies"},
                                       "POST", path)
                self.result.attachments += 1
                log.info("attached runner %s (%d copies, lease %s s)", self.runner_id, self.num_envs,
                         body.get("leaseSeconds"))
                return list(seeds)
            if resp.status_code == 410:
                raise _JobEnded()
            if resp.status_code == 409:
                if self._job_finished():
                    raise _JobEnded()
                if reattach:
                    # The service may still be settling after a restart; keep trying within the budget.
                    self._backoff_conflict(resp)
                    continue
            raise_for_problem(resp, "POST", path)
            raise ProximaError(resp.status_code, None, "POST", path)

    def _backoff_conflict(self, resp) -> None:
        """A 409 on re-attach: the old copies may not be free yet. Retry within the budget."""
        t = self.transport
        now = t.clock()
        if self._conflict_since is None:
            self._conflict_since, self._conflict_delay = now, t.initial_backoff
        if now - self._conflict_since >= t.max_retry_seconds:
            raise_for_problem(resp, "POST", self._path("runners"))
        log.warning("re-attach refused (409: %s); retrying in %.1f s", _problem_detail(resp), self._conflict_delay)
        t.sleep(self._conflict_delay)
        self._conflict_delay = min(self._conflict_delay * 2, t.max_backoff)

    def _job_finished(self) -> bool:
        try:
            job = self.transport.json("GET", self._path())
        except ProximaError:
            return False
        return (job or {}).get("status") in ("SUCCEEDED", "FAILED", "CANCELLED")

    def _step(self, sequence: int, body: dict[str, Any]) -> list[Any]:
        path = self._path("runners", self.runner_id, "steps")
        data = json.dumps(body, separators=(",", ":"), allow_nan=False).encode()
        resp = self.transport.request("POST", path, data=data, wait_on_202=True)
        status = resp.status_code
        if status == 200:
            answer = resp.json()
            if answer.get("sequence", sequence) != sequence:
                raise ProximaError(200, {"detail": f"answer for sequence {answer.get('sequence')}, sent {sequence}"},
                                   "POST", path)
            self.result.policy_version = answer.get("policyVersion")
            return answer["actions"]
        if status == 410:
            raise _JobEnded()
        if status == 404:
            raise _Detached()
        raise_for_problem(resp, "POST", path)
        raise ProximaError(status, None, "POST", path)

    def detach(self) -> None:
        """Detach now (best effort, one try): the service frees the copies at once."""
        if self.runner_id is None:
            return
        runner_id, self.runner_id = self.runner_id, None
        try:
            self.transport.request("DELETE", self._path("runners", runner_id), retry=False, timeout=(5.0, 5.0))
        except Exception as e:
            log.debug("detach failed: %s", e)

    def _count(self, accepted) -> None:
        """Account for a step the service has answered (so the last, unsent, one is not counted)."""
        self.result.steps += 1
        if accepted.rewards is not None:
            self.result.env_steps += self.num_envs
            self.result.episodes += sum(t or u for t, u in zip(accepted.terminated, accepted.truncated))

    # -- the loop --------------------------------------------------------------------------

    def run(self) -> RunResult:
        """Step until the job ends (410). Returns what was done; raises on a refused request."""
        fruitless = 0  # attaches in a row that got 404 before any answered step
        try:
            reattach = False
            while True:
                try:
                    seeds = self._attach(reattach)
                    self._conflict_since = None
                    batch = self.copies.reset(seeds)
                    sequence = 0
                    while True:
                        actions = self._step(sequence, batch.body(sequence))
                        fruitless = 0
                        self._count(batch)
                        batch = self.copies.step(actions)
                        sequence += 1
                except _Detached:
                    fruitless += 1
                    self.runner_id = None
                    if fruitless > self._max_reattaches:
                        raise ProximaError(404, {"detail": f"runner lost {fruitless} times in a row right after attaching"},
                                           "POST", self._path("runners"))
                    log.warning("runner not attached any more (404); attaching again")
                    reattach = True
        except _JobEnded:
            self.runner_id = None
            self.result.job_ended = True
            log.info("job %s ended", self.job_id)
            return self.result
        finally:
            self.detach()
            self._close_copies()

    def _close_copies(self) -> None:
        if self._owns_copies and not self._copies_closed:
            self._copies_closed = True
            self.copies.close()

    def close(self) -> None:
        """Detach and close the copies the runner made (not a caller's vector env)."""
        if self._closed:
            return
        self._closed = True
        self.detach()
        self._close_copies()
        self.transport.close()

    def __enter__(self) -> "Runner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
