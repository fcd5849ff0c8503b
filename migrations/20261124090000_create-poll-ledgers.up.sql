-- What a connection's long-lived poll activity knows between its attempts. An idle poll (nothing to write) ends in a
-- retry scheduled for the next poll time instead of returning to the workflow, so its findings cannot travel in a
-- result; they are kept here. One row per connection: polls of a connection never run at once.
CREATE TABLE poll_ledgers (
  connection_id    text PRIMARY KEY,
  -- The workflow run whose watermarks `verified` extends; a reset or continued run starts a new lineage.
  run_id           text NOT NULL,
  -- flow -> {from, to}: the run's window starting at `from` was read up to `to` and nothing in it needed writing,
  -- so a later attempt from the same `from` may start at `to` minus the overlap.
  verified         jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Idle polls the workflow has not counted yet (a returning poll hands them over and resets this).
  unreported_polls integer NOT NULL DEFAULT 0,
  last_poll_at     timestamptz,
  -- When the next scheduled poll is due under `schedule`; a poll activity started after an interruption waits for it.
  next_poll_at     timestamptz,
  schedule         text,
  updated_at       timestamptz NOT NULL DEFAULT now()
);
