-- Work that outlives the request that asked for it: an HTTP import now, long analyses
-- later (one table for every kind). A job is kept after it ends, with its report, so the
-- client that asked can read it whenever it comes back, across restarts of parkland.
CREATE TABLE jobs (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('import')),
  -- The token's name that asked for it.
  actor text NOT NULL,
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
  -- What it was asked (the query's parameters, the file's name and size).
  params jsonb NOT NULL DEFAULT '{}',
  -- Progress: items worked through, of how many.
  done integer NOT NULL DEFAULT 0 CHECK (done >= 0),
  total integer CHECK (total >= 0),
  -- The kind's own report once it ends (an import's: features, imported, refused…).
  report jsonb,
  -- Why it failed, when it did not end with a report.
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- The running process's last sign of life: a job whose process died (killed, not
  -- stopped) is told failed once this is old (`jobs::STALE_AFTER`).
  seen_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CONSTRAINT jobs_ended_when_done CHECK ((state = 'running') = (finished_at IS NULL))
);
