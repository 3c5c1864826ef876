-- Portable SQL (H2 and PostgreSQL).

-- An external job's runner token, as its SHA-256 (hex); the token itself is answered once.
alter table training_job add column runner_token_hash varchar(64);
create unique index training_job_runner_token_hash on training_job (runner_token_hash);

-- An external environment's spaces are part of the request: a box of 16,384 bounds is ~700 kB of JSON.
alter table training_job alter column request_json set data type varchar(1000000);
