import subprocess
import sys

import numpy as np

from proxima_client.cli import main


def test_train_submits_runs_and_exits_0_on_success(fake, capsys):
    fake.http_end_after_steps = 400
    code = main(["train", "--url", fake.url, "--env", "CartPole-v1", "--num-envs", "4", "--total-timesteps", "2000",
                 "--seed", "3", "--stop-at-return", "100", "--hyperparameters", '{"nSteps": 32}',
                 "--progress-interval", "0.05", "--name", "cp"])
    out = capsys.readouterr().out
    assert code == 0, out
    (job,) = fake.jobs.values()
    req = job.request
    assert req["name"] == "cp" and req["seed"] == 3 and req["totalTimesteps"] == 2000
    assert req["stopWhen"] == {"episodeReturnMean": 100.0} and req["hyperparameters"] == {"nSteps": 32}
    ext = req["environment"]["external"]
    assert req["environment"]["numEnvs"] == 4
    assert ext["actionSpace"] == {"type": "discrete", "n": 2} and ext["actionMasks"] is False
    assert ext["observationSpace"]["low"][1] is None and ext["observationSpace"]["shape"] == [4]
    assert f"job {job.id}" in out and f"runner token {job.token}" in out
    assert "timesteps=" in out and "ep_rew_mean=" in out
    assert "final status=SUCCEEDED" in out


def test_train_exits_1_when_the_job_does_not_succeed(fake, capsys):
    fake.http_end_status = ("CANCELLED", "CANCELLED")
    code = main(["train", "--url", fake.url, "--env", "CartPole-v1", "--num-envs", "2", "--quiet"])
    out = capsys.readouterr().out
    assert code == 1 and "final status=CANCELLED" in out and "timesteps=" not in out.split("final")[0]


def test_train_reports_a_refused_submission(fake, capsys):
    code = main(["train", "--url", fake.url, "--env", "Pendulum-v1", "--num-envs", "0", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1 and "422" in err and "environment.numEnvs" in err


def test_attach_runs_more_copies(fake, capsys):
    from proxima_client import job_request
    import gymnasium as gym

    job = fake.create_job(job_request(gym.make("CartPole-v1"), 3), end_after_steps=30)
    code = main(["attach", "--url", fake.url, "--job", job.id, "--token", job.token, "--env", "CartPole-v1",
                 "--num-envs", "3", "--quiet"])
    assert code == 0 and job.timesteps == 29 * 3
    assert "final status=SUCCEEDED" in capsys.readouterr().out


def test_evaluate_prints_returns_and_mean(fake, capsys):
    from proxima_client import job_request
    import gymnasium as gym

    job = fake.create_job(job_request(gym.make("CartPole-v1"), 1))
    fake.act_fn = lambda body, job: int(body["observation"][2] + 0.5 * body["observation"][3] > 0)
    code = main(["evaluate", "--url", fake.url, "--job", job.id, "--env", "CartPole-v1", "--episodes", "3",
                 "--seed", "0"])
    out = capsys.readouterr().out
    assert code == 0
    returns = [float(line.split("return ")[1].split()[0]) for line in out.splitlines() if line.startswith("episode")]
    assert len(returns) == 3 and min(returns) > 50  # the heuristic balances the pole: actions were applied
    assert f"mean return {np.mean(returns):.2f} ± {np.std(returns):.2f} over 3 episodes" in out
    assert all(c["deterministic"] is True for c in fake.act_calls)
    assert "actionMask" not in fake.act_calls[0]


def test_evaluate_stochastic(fake, capsys):
    from proxima_client import job_request
    import gymnasium as gym

    job = fake.create_job(job_request(gym.make("CartPole-v1"), 1))
    assert main(["evaluate", "--url", fake.url, "--job", job.id, "--env", "CartPole-v1", "--episodes", "1",
                 "--stochastic"]) == 0
    assert all(c["deterministic"] is False for c in fake.act_calls)


def test_module_help():
    out = subprocess.run([sys.executable, "-m", "proxima_client", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "train" in out.stdout and "evaluate" in out.stdout
