-- A partner's rate budget shared by every worker process that uses one credential (connectors/http/rate-budget.ts):
-- a token bucket per credential key, refilled by the time elapsed since `refilled_at` and taken under the row's lock
-- in one short transaction. `credential_key` is the partner and a SHA-256 of the credential, never the secret.
-- `paused_until` is the shared pause after a 429: any worker sets it, every worker honours it at its next lease.
CREATE TABLE rate_budgets (
  credential_key text PRIMARY KEY,
  tokens         double precision NOT NULL,
  refilled_at    timestamptz NOT NULL,
  paused_until   timestamptz,
  CONSTRAINT rate_budgets_key_is_hashed CHECK (credential_key ~ '^[a-z0-9_-]+:[0-9a-f]{32}$')
);
