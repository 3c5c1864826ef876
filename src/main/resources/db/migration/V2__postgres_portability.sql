-- db-scheduler's own PostgreSQL schema has task_name, task_instance and picked_by as text.
-- V1 bounded them (100, 100, 50 characters): a scheduler name is the host's name, and a longer
-- one (a Kubernetes pod's FQDN, say) made every pick-up fail on both H2 and PostgreSQL.
-- varchar without a length is unbounded on both (on PostgreSQL the same as text).
alter table scheduled_tasks alter column task_name set data type varchar;
alter table scheduled_tasks alter column task_instance set data type varchar;
alter table scheduled_tasks alter column picked_by set data type varchar;
