-- Bearer keys for the HTTP API. Only a SHA-256 of the key is kept: a leaked table grants nothing. The prefix is the
-- visible half of the key (`mlc_<prefix>_<secret>`), so a key can be found, listed and revoked without its secret.
CREATE TABLE api_keys (
  prefix       text PRIMARY KEY,
  key_hash     bytea NOT NULL,
  -- 'admin' or 'customer:<customer id>'
  scope        text NOT NULL CHECK (scope = 'admin' OR scope LIKE 'customer:_%'),
  label        text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);
