-- Which activity attempt may write a connection's records. Temporal starts a new attempt when an old one stops
-- heartbeating, but the old one may still be running (network partition, Temporal unreachable): every attempt that
-- writes takes this row and raises `fence`, and every intent, link, audit and dead-letter write of an attempt is
-- conditional on the fence it took still being the current one. Newer attempts win; one row per connection.
CREATE TABLE connection_leases (
  connection_id text PRIMARY KEY,
  fence         bigint NOT NULL DEFAULT 0,
  workflow_id   text,
  run_id        text,
  activity_id   text,
  attempt       integer,
  acquired_at   timestamptz,
  -- Renewed by the holder on each heartbeat tick while it can reach Temporal: a recent value means the holder may
  -- still have partner calls in flight, so the next holder waits them out before resolving intents.
  renewed_at    timestamptz,
  -- Set when the holder finished (no partner call of it is in flight any more): the next holder need not wait.
  released_at   timestamptz
);
