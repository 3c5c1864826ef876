"""Python client of Proxima: train PPO jobs on your own Gymnasium environments.

    import gymnasium as gym
    from proxima_client import Runner, job_request, submit_job

    env = gym.make("CartPole-v1")
    job = submit_job("http://localhost:8080", job_request(env, num_envs=8, total_timesteps=100_000))
    Runner("http://localhost:8080", job.id, job.runner_token,
           env_fns=[lambda: gym.make("CartPole-v1")] * 8).run()
"""

from .errors import ProximaError, ProximaUnavailable
from .evaluate import Evaluation, evaluate
from .jobs import SubmittedJob, cancel_job, external_environment, get_job, job_progress, job_request, submit_job
from .runner import Runner, RunResult
from .spaces import ActionMapping, ObservationMapping, action_mapping, observation_mapping
from .transport import Transport

__all__ = [
    "ActionMapping", "Evaluation", "ObservationMapping", "ProximaError", "ProximaUnavailable", "RunResult",
    "Runner", "SubmittedJob", "Transport", "action_mapping", "cancel_job", "evaluate", "external_environment",
    "get_job", "job_progress", "job_request", "observation_mapping", "submit_job",
]
