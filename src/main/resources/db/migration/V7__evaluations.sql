-- Portable SQL (H2 and PostgreSQL).

-- POST /api/jobs/{id}/evaluations: episodes of a checkpoint in its built-in environment, on the
-- server; the returns and lengths of every episode as JSON arrays.
create table evaluation (
    id                   uuid primary key,
    job_id               uuid             not null references training_job (id) on delete cascade,
    checkpoint_iteration integer          not null,
    checkpoint_timesteps bigint           not null,
    episodes             integer          not null,
    deterministic        boolean          not null,
    seed                 bigint           not null,
    mean_return          double precision not null,
    std_return           double precision not null,
    mean_length          double precision not null,
    returns_json         varchar(10000)   not null,
    lengths_json         varchar(10000)   not null,
    created_at           timestamp(6) with time zone not null
);
create index evaluation_job_created on evaluation (job_id, created_at);
