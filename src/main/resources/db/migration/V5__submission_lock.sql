-- One row that submissions lock (SELECT ... FOR UPDATE) before they count the queue, so that
-- proxima.jobs.max-queued holds exactly under concurrent submissions, on every instance.
CREATE TABLE submission_lock (
    id INTEGER PRIMARY KEY
);
INSERT INTO submission_lock (id) VALUES (1);
