ALTER TABLE webhook_registrations DROP COLUMN handshake_token_hash;
