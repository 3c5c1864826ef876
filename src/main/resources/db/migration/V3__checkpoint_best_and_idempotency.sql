-- Portable SQL (H2 and PostgreSQL).

-- The checkpoint with a job's highest ep_rew_mean is flagged best; retention keeps it besides
-- the newest proxima.jobs.checkpoints-kept.
alter table policy_checkpoint add column best boolean default false not null;
update policy_checkpoint set best = true
where episode_return_mean is not null
  and not exists (
    select 1 from policy_checkpoint rival
    where rival.job_id = policy_checkpoint.job_id
      and rival.episode_return_mean is not null
      and (rival.episode_return_mean > policy_checkpoint.episode_return_mean
           or (rival.episode_return_mean = policy_checkpoint.episode_return_mean
               and rival.iteration < policy_checkpoint.iteration)));

-- POST /api/jobs with an Idempotency-Key: the key is unique (it decides between racing
-- retries), and the fingerprint of the request it came with tells a retry from a misuse.
alter table training_job add column idempotency_key varchar(255);
alter table training_job add column request_fingerprint varchar(64);
create unique index training_job_idempotency_key on training_job (idempotency_key);

-- Why a finished job stopped (TOTAL_TIMESTEPS, EPISODE_RETURN_MEAN, MAX_RUNTIME_SECONDS, ...).
alter table training_job add column stop_reason varchar(32);
