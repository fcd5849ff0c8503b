-- When each declared housekeeping task (webhook renewal, token refresh) last ran for a connection: the poll activity
-- runs a task again once its cadence has passed since its last success. Not a flow: no watermark, no records.
CREATE TABLE housekeeping_runs (
  connection_id   text NOT NULL,
  task            text NOT NULL,
  last_success_at timestamptz,
  last_attempt_at timestamptz NOT NULL,
  -- What the last successful run did (e.g. 'ok', 'registered'), or the last failure's message (never a secret).
  last_outcome    text,
  last_error      text,
  PRIMARY KEY (connection_id, task)
);
