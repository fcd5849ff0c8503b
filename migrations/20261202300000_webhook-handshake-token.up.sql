-- A one-time token per webhook registration: its SHA-256 (hex) while the registration waits for the partner's
-- handshake. Only a handshake that presents the token (in the target URL we gave the partner) may store a secret,
-- once; the column is cleared when it is used.
ALTER TABLE webhook_registrations ADD COLUMN handshake_token_hash text;
