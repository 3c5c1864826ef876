"""Submitting and following external jobs."""

from __future__ import annotations

import uuid
from urllib.parse import quote
from dataclasses import dataclass
from typing import Any

import gymnasium as gym

from .errors import ProximaError
from .spaces import action_mapping, observation_mapping
from .transport import Transport, raise_for_problem

TERMINAL_STATUSES = frozenset({"SUCCEEDED", "FAILED", "CANCELLED"})


@dataclass
class SubmittedJob:
    """A created job: its id, its runner token (given only once) and the service's answer."""

    id: str
    runner_token: str
    status: str
    job: dict[str, Any]


def external_environment(env: gym.Env | gym.vector.VectorEnv, *, action_masks: bool = False) -> dict[str, Any]:
    """The ``environment.external`` object for an environment's spaces."""
    obs_space = getattr(env, "single_observation_space", env.observation_space)
    act_space = getattr(env, "single_action_space", env.action_space)
    return {
        "observationSpace": observation_mapping(obs_space).spec,
        "actionSpace": action_mapping(act_space).spec,
        "actionMasks": bool(action_masks),
    }


def job_request(env: gym.Env | gym.vector.VectorEnv, num_envs: int, *, total_timesteps: int | None = None,
                seed: int | None = None, hyperparameters: dict[str, Any] | None = None,
                stop_at_return: float | None = None, name: str | None = None,
                action_masks: bool = False, stop_when: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``POST /api/jobs`` body for training on ``env`` with ``num_envs`` copies."""
    body: dict[str, Any] = {"environment": {"external": external_environment(env, action_masks=action_masks),
                                            "numEnvs": int(num_envs)}}
    if name is None and getattr(env, "spec", None) is not None:
        name = env.spec.id
    if name:
        body["name"] = name
    if total_timesteps is not None:
        body["totalTimesteps"] = int(total_timesteps)
    if seed is not None:
        body["seed"] = int(seed)
    if hyperparameters:
        body["hyperparameters"] = hyperparameters
    stop = dict(stop_when or {})
    if stop_at_return is not None:
        stop["episodeReturnMean"] = float(stop_at_return)
    if stop:
        body["stopWhen"] = stop
    return body


def submit_job(url: str, request: dict[str, Any], *, transport: Transport | None = None,
               idempotency_key: str | None = None) -> SubmittedJob:
    """Create a job from a :func:`job_request` body.

    The submission carries an ``Idempotency-Key`` so a retry after a lost answer cannot make a
    second job; but the service hands out the runner token only once, so if the first answer
    was lost the job is unusable and this raises, naming it.
    """
    t = transport or Transport(url)
    key = idempotency_key or str(uuid.uuid4())
    resp = t.request("POST", "/api/jobs", request, headers={"Idempotency-Key": key})
    if resp.status_code not in (200, 201):
        raise_for_problem(resp, "POST", "/api/jobs")
        raise ProximaError(resp.status_code, None, "POST", "/api/jobs")
    job = resp.json()
    token = job.get("runnerToken")
    if not token:
        raise ProximaError(resp.status_code, {
            "detail": f"job {job.get('id')} was created but its runner token was lost with the first answer "
                      "(the service gives it only once); cancel it and submit again"}, "POST", "/api/jobs")
    return SubmittedJob(str(job["id"]), str(token), str(job.get("status")), job)


def get_job(url: str, job_id: str, *, transport: Transport | None = None) -> dict[str, Any]:
    t = transport or Transport(url)
    return t.json("GET", f"/api/jobs/{quote(job_id, safe='')}")


def cancel_job(url: str, job_id: str, *, transport: Transport | None = None) -> dict[str, Any]:
    t = transport or Transport(url)
    return t.json("POST", f"/api/jobs/{quote(job_id, safe='')}/cancel", expect=(200, 202))


def job_progress(job: dict[str, Any]) -> tuple[Any, Any, Any]:
    """(timesteps, ep_rew_mean, iteration) from a job, wherever this service version puts them."""
    progress = job.get("progress") or {}

    def pick(key):
        return job.get(key, progress.get(key))
    return pick("timesteps"), pick("episodeReturnMean"), pick("iteration")
