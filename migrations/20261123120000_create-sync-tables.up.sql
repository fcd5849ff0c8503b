-- The tables every sync pair shares. Plain SQL, applied in file-name order by db/migrate.ts.

CREATE TABLE connections (
  id            text PRIMARY KEY,
  customer_id   text NOT NULL,
  pair          text NOT NULL,
  status        text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'deleted')),
  -- Non-secret settings only (endpoints, mapping, schedule); secrets live in connection_credentials.
  config        jsonb NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connections_customer_idx ON connections (customer_id, pair);

-- AES-256-GCM ciphertexts; key_id names the master key that encrypted the row, so keys can rotate.
CREATE TABLE connection_credentials (
  connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  side          text NOT NULL,
  key_id        text NOT NULL,
  iv            bytea NOT NULL,
  auth_tag      bytea NOT NULL,
  ciphertext    bytea NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, side)
);

-- One row per synced record. state = 'intent' is written before the create call and becomes 'linked' after it, so
-- a crash in between is recovered by looking the record up on the target instead of creating it twice.
CREATE TABLE record_links (
  connection_id text NOT NULL,
  flow          text NOT NULL,
  source_system text NOT NULL,
  source_key    text NOT NULL,
  target_system text NOT NULL,
  target_id     text,
  state         text NOT NULL CHECK (state IN ('intent', 'linked')),
  last_hash     text,
  intent_at     timestamptz NOT NULL DEFAULT now(),
  linked_at     timestamptz,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, source_system, source_key, target_system)
);
CREATE INDEX record_links_target_idx ON record_links (connection_id, target_system, target_id);

-- Append-only: one row per record effect. Updates and deletes are refused by the trigger below.
CREATE TABLE audit_events (
  id               bigserial PRIMARY KEY,
  connection_id    text NOT NULL,
  flow             text NOT NULL,
  record_key       text NOT NULL,
  direction        text NOT NULL,
  action           text NOT NULL,
  outcome          text NOT NULL,
  target_id        text,
  workflow_id      text,
  run_id           text,
  activity_attempt integer,
  error_code       text,
  error_body       text,
  detail           jsonb,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_connection_idx ON audit_events (connection_id, id);
CREATE INDEX audit_events_record_idx ON audit_events (connection_id, record_key, id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END $$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- A record that a partner refused permanently, with the partner's raw answer, kept until replayed successfully.
CREATE TABLE dead_letters (
  id              bigserial PRIMARY KEY,
  connection_id   text NOT NULL,
  flow            text NOT NULL,
  record_key      text NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  error_code      text,
  error_message   text NOT NULL,
  partner_status  integer,
  raw_response    text,
  -- The source record as fetched, so a replay after a mapping fix needs no source that still has it.
  source_record   jsonb,
  attempts        integer NOT NULL DEFAULT 1,
  first_failed_at timestamptz NOT NULL DEFAULT now(),
  last_failed_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz
);
CREATE UNIQUE INDEX dead_letters_open_record_idx ON dead_letters (connection_id, flow, record_key) WHERE status = 'open';
CREATE INDEX dead_letters_connection_idx ON dead_letters (connection_id, status, id);

CREATE TABLE webhook_registrations (
  connection_id     text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  partner           text NOT NULL,
  resource          text NOT NULL,
  webhook_id        text,
  target_url        text NOT NULL,
  -- The partner's signing secret (Asana X-Hook-Secret), encrypted like credentials.
  secret_key_id     text,
  secret_iv         bytea,
  secret_auth_tag   bytea,
  secret_ciphertext bytea,
  status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'missing')),
  last_checked_at   timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, partner, resource)
);

-- Processed webhook deliveries, so a redelivered event is recognised even across continue-as-new.
CREATE TABLE webhook_events_seen (
  connection_id text NOT NULL,
  event_id      text NOT NULL,
  seen_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, event_id)
);

CREATE TABLE oauth_tokens (
  connection_id text NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
  side          text NOT NULL,
  key_id        text NOT NULL,
  iv            bytea NOT NULL,
  auth_tag      bytea NOT NULL,
  ciphertext    bytea NOT NULL,
  expires_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, side)
);
