"""The fake service is strict: a runner that broke the protocol would fail the other tests."""

import pytest
import requests

from proxima_client import job_request
from scripted_env import ScriptedEnv


@pytest.fixture
def attached(fake):
    job = fake.create_job(job_request(ScriptedEnv(0, [(1, "term")]), 2, seed=0))
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {job.token}"
    r = s.post(f"{fake.url}/api/jobs/{job.id}/runners", json={"numEnvs": 2})
    assert r.status_code == 201
    steps = f"{fake.url}/api/jobs/{job.id}/runners/{r.json()['runnerId']}/steps"
    obs = [[0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    assert s.post(steps, json={"sequence": 0, "observations": obs}).status_code == 200
    return s, steps, obs


def step1(obs, **over):
    body = {"sequence": 1, "observations": obs, "rewards": [1.0, 1.0], "terminated": [False, False],
            "truncated": [False, True], "finalObservations": {"1": [1.0, 0.0, 5.0, 0.0]}}
    body.update(over)
    return body


def test_a_valid_step_passes(attached):
    s, steps, obs = attached
    assert s.post(steps, json=step1(obs)).status_code == 200


@pytest.mark.parametrize("over, status, field", [
    ({"finalObservations": {}}, 422, "finalObservations"),  # truncated copy 1 without its final observation
    ({"finalObservations": {"0": [0.0] * 4, "1": [0.0] * 4}}, 422, "finalObservations"),
    ({"rewards": [1.0]}, 422, "rewards"),
    ({"observations": [[0.0] * 4]}, 422, "observations"),
    ({"observations": [[0.0] * 3, [0.0] * 4]}, 422, "observations[0]"),
    ({"terminated": [0, 0]}, 422, "terminated"),
    ({"sequence": 2}, 409, "sequence"),
    ({"actionMasks": [[True] * 3] * 2}, 422, "actionMasks"),
])
def test_malformed_steps_are_refused(attached, over, status, field):
    s, steps, obs = attached
    r = s.post(steps, json=step1(obs, **over))
    assert r.status_code == status and r.json()["field"] == field


def test_infinity_is_refused(attached):
    s, steps, obs = attached
    raw = '{"sequence":1,"observations":[[1e999,0,0,0],[0,0,0,0]],"rewards":[1,1],"terminated":[false,false],' \
          '"truncated":[false,false],"finalObservations":{}}'
    r = s.post(steps, data=raw, headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["field"] == "observations[0][0]"


def test_a_retry_must_repeat_the_body(attached):
    s, steps, obs = attached
    r = s.post(steps, json={"sequence": 0, "observations": [[9.0] * 4, [9.0] * 4]})
    assert r.status_code == 422


def test_sequence_0_carries_only_observations(fake):
    job = fake.create_job(job_request(ScriptedEnv(0, [(1, "term")]), 1))
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {job.token}"
    rid = s.post(f"{fake.url}/api/jobs/{job.id}/runners", json={"numEnvs": 1}).json()["runnerId"]
    r = s.post(f"{fake.url}/api/jobs/{job.id}/runners/{rid}/steps",
               json={"sequence": 0, "observations": [[0.0] * 4], "rewards": [0.0]})
    assert r.status_code == 422
