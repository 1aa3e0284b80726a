-- `jobs::end_stale` runs on every read of a job and every new import: it looks only at
-- running jobs, a handful, however many ended jobs the table keeps.
CREATE INDEX jobs_running ON jobs (seen_at) WHERE state = 'running';
