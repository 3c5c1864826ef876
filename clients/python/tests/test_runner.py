"""The runner against the fake service, checked step by step against scripted episodes."""

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.vector import AutoresetMode, SyncVectorEnv

from proxima_client import ProximaError, ProximaUnavailable, Runner, Transport, job_request
from scripted_env import ScriptedEnv, expected_stream

SCHEDULES = [
    [(3, "term"), (2, "trunc")],
    [(2, "trunc"), (4, "both")],
    [(1, "term")],
    [(5, "trunc"), (1, "trunc")],
]
SEED = 100


class RecordingSleep:
    def __init__(self):
        self.calls = []

    def __call__(self, seconds):
        self.calls.append(seconds)


def make_job(fake, k=4, *, masks=False, end_after=25, start=0, seed=SEED):
    env = ScriptedEnv(0, [(1, "term")], start=start)
    return fake.create_job(job_request(env, k, seed=seed, action_masks=masks), end_after_steps=end_after)


def scripted_envs(k=4, start=0, masks=False):
    return [ScriptedEnv(i, SCHEDULES[i], start=start, masks=masks) for i in range(k)]


def factories(envs):
    return [lambda e=e: e for e in envs]


def transport(fake, sleep=None, **kw):
    return Transport(fake.url, sleep=sleep or RecordingSleep(), **kw)


def check_stream(job, attach_no=1, start=0, masks=False, k=4):
    """Every accepted step of one attachment equals what a correct runner must send."""
    log = [e for e in job.log if e["attach"] == attach_no]
    assert [e["sequence"] for e in log] == list(range(len(log)))
    first = log[0]["body"]
    assert set(first) == ({"sequence", "observations", "actionMasks"} if masks else {"sequence", "observations"})
    expected = expected_stream(SCHEDULES[:k], [e["actions"] for e in log[:-1]], first["observations"], start, masks)
    for got, want in zip([e["body"] for e in log[1:]], expected):
        assert got == want, f"sequence {want['sequence']}"
    return log


def test_env_factories_step_by_step(fake):
    job = make_job(fake, start=-1)
    envs = scripted_envs(start=-1)
    result = Runner(fake.url, job.id, job.token, env_fns=factories(envs), transport=transport(fake)).run()
    assert result.job_ended and result.steps == 25 and result.attachments == 1
    log = check_stream(job, start=-1)
    # sequence 0: every copy reset with its attach seed
    assert log[0]["body"]["observations"] == [[float(i), 0.0, 0.0, float(SEED + i)] for i in range(4)]
    # truncations were sent with final observations, terminations were not
    assert any(e["body"].get("finalObservations") for e in log)
    assert all(env.closed for env in envs)
    assert result.episodes == sum(len(e["body"]["finalObservations"]) for e in log[1:]) + sum(
        t for e in log[1:] for t in e["body"]["terminated"])


def test_action_masks_from_info(fake):
    job = make_job(fake, masks=True)
    envs = scripted_envs(masks=True)
    Runner(fake.url, job.id, job.token, env_fns=factories(envs), transport=transport(fake)).run()
    check_stream(job, masks=True)


def test_action_masks_are_read_from_the_job_when_not_given(fake):
    job = make_job(fake, masks=True, end_after=3)
    runner = Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs(masks=True)), transport=transport(fake))
    runner.run()
    assert all("actionMasks" in e["body"] for e in job.log)


def test_action_mask_callback(fake):
    job = make_job(fake, masks=True, end_after=6)

    def mask_fn(env, info):
        m = [1, 1, 1]
        m[(env.episode + env.t) % 3] = 0
        return m

    envs = [ScriptedEnv(i, SCHEDULES[i]) for i in range(4)]  # no masks in info
    for e in envs:
        e.masks = False
    Runner(fake.url, job.id, job.token, env_fns=factories(envs), action_masks=True, action_mask_fn=mask_fn,
           transport=transport(fake)).run()
    check_stream(job, masks=True)


@pytest.mark.parametrize("mode", [AutoresetMode.SAME_STEP, AutoresetMode.DISABLED])
@pytest.mark.parametrize("masks", [False, True])
def test_vector_env_autoreset_modes_step_by_step(fake, mode, masks):
    job = make_job(fake, masks=masks, start=1)
    envs = scripted_envs(start=1, masks=masks)
    venv = SyncVectorEnv(factories(envs), autoreset_mode=mode)
    result = Runner(fake.url, job.id, job.token, vector_env=venv, transport=transport(fake)).run()
    assert result.job_ended
    log = check_stream(job, start=1, masks=masks)
    assert log[0]["body"]["observations"] == [[float(i), 0.0, 0.0, float(SEED + i)] for i in range(4)]
    assert not any(env.closed for env in envs)  # the caller's vector env stays open
    venv.close()


def test_vector_env_next_step_mode_is_refused_with_advice(fake):
    job = make_job(fake)
    venv = SyncVectorEnv(factories(scripted_envs()))  # Gymnasium's default: NEXT_STEP
    with pytest.raises(ValueError, match="autoreset_mode=gymnasium.vector.AutoresetMode.SAME_STEP"):
        Runner(fake.url, job.id, job.token, vector_env=venv, transport=transport(fake))
    assert job.attach_count == 0


def test_vector_env_without_declared_mode_is_taken_as_next_step(fake):
    job = make_job(fake)
    venv = SyncVectorEnv(factories(scripted_envs()), autoreset_mode=AutoresetMode.SAME_STEP)
    del venv.metadata["autoreset_mode"]
    with pytest.raises(ValueError, match="declares no autoreset_mode"):
        Runner(fake.url, job.id, job.token, vector_env=venv, transport=transport(fake))
    # declaring it explicitly works
    Runner(fake.url, job.id, job.token, vector_env=venv, autoreset_mode="SameStep", transport=transport(fake)).run()
    check_stream(job)


def test_a_next_step_env_passed_off_as_same_step_is_caught(fake):
    job = make_job(fake)
    venv = SyncVectorEnv(factories(scripted_envs()))  # really NEXT_STEP
    runner = Runner(fake.url, job.id, job.token, vector_env=venv, autoreset_mode=AutoresetMode.SAME_STEP,
                    transport=transport(fake))
    with pytest.raises(ValueError, match="final_obs"):
        runner.run()
    assert ("detach", 1) in job.events


def test_naive_next_step_forwarding_would_be_wrong(fake):
    """Why NEXT_STEP is refused: forwarding its steps as they come breaks the stream at the first episode end."""
    venv = SyncVectorEnv(factories(scripted_envs()))
    obs, _ = venv.reset(seed=[SEED + i for i in range(4)])
    first = obs.tolist()
    actions = [[0, 1, 2, 0]] * 6
    sent = []
    for n, a in enumerate(actions):
        obs, r, term, trunc, _ = venv.step(np.array(a))
        sent.append({"sequence": n + 1, "observations": obs.tolist(), "rewards": r.tolist(),
                     "terminated": term.tolist(), "truncated": trunc.tolist(), "finalObservations": {}})
    assert sent != expected_stream(SCHEDULES, actions, first)
    # copy 0 matches while its first episode runs; it goes wrong at its first end (step 3) as copy 2 at step 1
    assert [b["observations"][0] for b in sent[:2]] == [b["observations"][0] for b in expected_stream(
        SCHEDULES, actions, first)[:2]]


def test_202_retries_the_same_body_and_sleeps_retry_after(fake):
    fake.retry_after = "1"
    job = make_job(fake, end_after=10)
    fake.faults = {(1, 0): ["202", "202"], (1, 3): ["202"], (1, 6): ["202"]}
    sleep = RecordingSleep()
    t = transport(fake, sleep)
    Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs()), transport=t).run()
    assert [e for e in job.events if e[0] == "202"] == [("202", 1, 0), ("202", 1, 0), ("202", 1, 3), ("202", 1, 6)]
    assert sleep.calls == [1.0] * 4 and t.waits == 4
    check_stream(job)  # the fake refuses a retry whose body differs, and counts each step once


def test_connection_errors_and_503_retry_with_backoff(fake):
    job = make_job(fake, end_after=10)
    fake.faults = {(1, 2): ["503", "drop", "drop"], (1, 4): ["drop_after"], (1, 5): ["drop_after", "202"]}
    sleep = RecordingSleep()
    t = transport(fake, sleep)
    Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs()), transport=t).run()
    assert sleep.calls[:3] == [0.5, 1.0, 2.0]  # doubling backoff within one request
    assert t.retries == 5
    assert ("replay", 1, 4) in job.events  # the step whose answer was lost got the same actions again
    log = check_stream(job)
    assert len(log) == 10  # nothing counted twice


def test_restart_404_reattaches_resets_and_starts_at_sequence_0(fake):
    job = make_job(fake, end_after=20)
    # at sequence 7 the service "goes down" (two dropped connections) and comes back without the runner
    fake.faults = {(1, 7): ["drop", "drop", "restart"]}
    envs = scripted_envs()
    result = Runner(fake.url, job.id, job.token, env_fns=factories(envs), transport=transport(fake)).run()
    assert result.attachments == 2 and result.job_ended
    assert [e[0] for e in job.events if e[0] in ("attach", "restart")] == ["attach", "restart", "attach"]
    first = check_stream(job, attach_no=1)
    assert [e["sequence"] for e in first] == list(range(7))
    second = check_stream(job, attach_no=2)
    assert second[0]["sequence"] == 0
    obs0 = second[0]["body"]["observations"]
    assert [o[2] for o in obs0] == [0.0] * 4  # fresh episodes ...
    assert [o[3] for o in obs0] == [float(SEED + i) for i in range(4)]  # ... reset with the new attach's seeds
    assert all(o[1] > 0 for o in obs0)  # the interrupted episodes were abandoned, not continued


def test_repeated_404_right_after_attach_gives_up(fake):
    job = make_job(fake)
    fake.faults = {(n, 0): ["restart"] for n in range(1, 20)}
    with pytest.raises(ProximaError, match="lost"):
        Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs()), transport=transport(fake)).run()


def test_410_on_attach_or_finished_job_returns_cleanly(fake):
    job = make_job(fake)
    fake.finish(job)
    envs = scripted_envs()
    result = Runner(fake.url, job.id, job.token, env_fns=factories(envs), transport=transport(fake)).run()
    assert result.job_ended and result.steps == 0 and all(e.closed for e in envs)


def test_4xx_raises_with_the_problem_detail_and_detaches(fake):
    env = ScriptedEnv(0, [(1, "term")])
    request = job_request(env, 4, seed=SEED)
    request["environment"]["external"]["observationSpace"] = {"type": "box", "shape": [3], "low": [None] * 3,
                                                              "high": [None] * 3}
    job = fake.create_job(request)
    envs = scripted_envs()
    with pytest.raises(ProximaError) as err:
        Runner(fake.url, job.id, job.token, env_fns=factories(envs), transport=transport(fake)).run()
    assert err.value.status == 422 and "observations[0]: expected 3 values" in str(err.value)
    assert err.value.field == "observations[0]"
    assert ("detach", 1) in job.events and all(e.closed for e in envs)


def test_wrong_token_is_a_401_error(fake):
    job = make_job(fake)
    with pytest.raises(ProximaError, match="401"):
        Runner(fake.url, job.id, "nope", env_fns=factories(scripted_envs()), transport=transport(fake)).run()


def test_keyboard_interrupt_detaches(fake):
    job = make_job(fake, end_after=None)

    class Interrupting(ScriptedEnv):
        def step(self, action):
            if self.t == 2:
                raise KeyboardInterrupt
            return super().step(action)

    envs = [Interrupting(i, [(10, "term")]) for i in range(4)]
    runner = Runner(fake.url, job.id, job.token, env_fns=factories(envs), transport=transport(fake))
    with pytest.raises(KeyboardInterrupt):
        runner.run()
    assert ("detach", 1) in job.events and job.runners == {} and len(job.free_slots) == 4


def test_close_detaches(fake):
    job = make_job(fake)
    runner = Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs()), transport=transport(fake))
    runner._attach(False)
    assert len(job.runners) == 1
    runner.close()
    assert job.runners == {}


def test_gives_up_after_the_retry_budget():
    clock = [0.0]

    def sleep(s):
        clock[0] += s

    t = Transport("http://127.0.0.1:9", max_retry_seconds=30, sleep=sleep, clock=lambda: clock[0], timeout=(0.2, 0.2))
    with pytest.raises(ProximaUnavailable, match="giving up"):
        t.request("POST", "/api/jobs/x/runners/y/steps", {"sequence": 0}, wait_on_202=True)
    assert clock[0] == pytest.approx(30.0)
    assert t.retries >= 5


def test_backoff_doubles_to_the_cap():
    clock = [0.0]
    slept = []

    def sleep(s):
        slept.append(s)
        clock[0] += s

    t = Transport("http://127.0.0.1:9", max_retry_seconds=60, sleep=sleep, clock=lambda: clock[0], timeout=(0.2, 0.2))
    with pytest.raises(ProximaUnavailable):
        t.request("GET", "/api/jobs/x")
    assert slept[:7] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    assert sum(slept) == pytest.approx(60.0)


def test_several_runners_share_a_job(fake):
    job = make_job(fake, k=4, end_after=12)
    job.hold_until_full = True  # else the first runner could finish the job before the second attaches
    a = Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs(k=2)), transport=transport(fake))
    b = Runner(fake.url, job.id, job.token, env_fns=factories([ScriptedEnv(i, SCHEDULES[i]) for i in (2, 3)]),
               transport=transport(fake))
    import threading

    results = {}
    threads = [threading.Thread(target=lambda n=n, r=r: results.__setitem__(n, r.run())) for n, r in (("a", a), ("b", b))]
    for th in threads:
        th.start()
    for th in threads:
        th.join(10)
    assert results["a"].job_ended and results["b"].job_ended
    seeds = sorted(s for e in job.events if e[0] == "attach" for s in e[2])
    assert seeds == [SEED + i for i in range(4)]


def test_cartpole_copies_run_against_the_fake(fake):
    env = gym.make("CartPole-v1")
    job = fake.create_job(job_request(env, 8, seed=1), end_after_steps=200)
    assert job.request["environment"]["external"]["observationSpace"]["low"][1] is None
    result = Runner(fake.url, job.id, job.token, env_fns=[lambda: gym.make("CartPole-v1")] * 8,
                    transport=transport(fake)).run()
    assert result.steps == 200 and result.env_steps == 199 * 8 and result.episodes == len(job.returns) > 0
    assert job.returns and job.timesteps == 199 * 8


def test_asking_for_more_copies_than_free_is_a_409_error(fake):
    job = make_job(fake, k=3)
    with pytest.raises(ProximaError, match="409.*free copies"):
        Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs(k=4)), transport=transport(fake)).run()


def test_a_nan_observation_is_refused_before_sending(fake):
    job = make_job(fake)

    class Broken(ScriptedEnv):
        def step(self, action):
            obs, r, term, trunc, info = super().step(action)
            if self.t == 2:
                obs[0] = np.nan
            return obs, r, term, trunc, info

    envs = [Broken(i, [(10, "term")]) for i in range(4)]
    with pytest.raises(ValueError, match="NaN or infinite"):
        Runner(fake.url, job.id, job.token, env_fns=factories(envs), transport=transport(fake)).run()
    assert ("detach", 1) in job.events


def test_async_vector_env_same_step(fake):
    from gymnasium.vector import AsyncVectorEnv

    job = make_job(fake, end_after=12)
    venv = AsyncVectorEnv(factories(scripted_envs()), autoreset_mode=AutoresetMode.SAME_STEP)
    try:
        Runner(fake.url, job.id, job.token, vector_env=venv, transport=transport(fake)).run()
    finally:
        venv.close()
    check_stream(job)


def test_a_409_on_reattach_is_retried(fake):
    job = make_job(fake, end_after=10)
    fake.faults = {(1, 3): ["restart"]}
    sleep = RecordingSleep()
    original = fake.restart

    def restart_with_busy_copies(j):
        original(j)
        j.refuse_attaches = 2

    fake.restart = restart_with_busy_copies
    result = Runner(fake.url, job.id, job.token, env_fns=factories(scripted_envs()),
                    transport=transport(fake, sleep)).run()
    assert result.attachments == 2 and result.job_ended
    assert [e for e in job.events if e[0] == "409"] == [("409",), ("409",)]
    assert sleep.calls == [0.5, 1.0]
    check_stream(job, attach_no=2)
