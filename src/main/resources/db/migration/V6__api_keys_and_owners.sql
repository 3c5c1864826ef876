-- Portable SQL (H2 and PostgreSQL).

-- API keys: the owner they act for, their scopes ("admin", "train", "act", comma-separated) and
-- the SHA-256 (hex) of their secret, which is answered once.
create table api_key (
    id         varchar(64)  primary key,
    owner      varchar(64)  not null,
    scopes     varchar(100) not null,
    key_hash   varchar(64)  not null,
    created_at timestamp(6) with time zone not null,
    revoked_at timestamp(6) with time zone
);
create unique index api_key_hash on api_key (key_hash);

-- Every job has an owner; jobs from before keys existed belong to the bootstrap admin's owner.
alter table training_job add column owner varchar(64) default 'admin' not null;
create index training_job_owner_created on training_job (owner, created_at);

-- An Idempotency-Key is an owner's own: two owners' equal keys are different submissions.
drop index training_job_idempotency_key;
create unique index training_job_owner_idempotency_key on training_job (owner, idempotency_key);
