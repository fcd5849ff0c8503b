-- Records whose reference (a vendor, a GL account) is not on the target yet: retried on later polls, shown in
-- status, dead-lettered naming the missing reference once they waited longer than their flow allows.
CREATE TABLE waiting_records (
  connection_id text NOT NULL,
  flow          text NOT NULL,
  record_key    text NOT NULL,
  missing_key   text NOT NULL,
  reason        text NOT NULL,
  -- The source record as fetched: the watermark may pass it, so the retry cannot count on reading it again.
  source_record jsonb NOT NULL,
  attempts      integer NOT NULL DEFAULT 1,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_tried_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, flow, record_key)
);

-- Bidirectional entities: the canonical hash of a record on one system as we left it (after we wrote it there, or
-- after we synced it from there). A record read back with the same hash is our own write (an echo), not an edit.
CREATE TABLE mirror_states (
  connection_id text NOT NULL,
  system        text NOT NULL,
  record_key    text NOT NULL,
  hash          text NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, system, record_key)
);
