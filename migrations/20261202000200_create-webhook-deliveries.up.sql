-- Verified webhook deliveries already signalled, by the partner's delivery id (or a hash of the body where the
-- partner sends none): a redelivery is answered 200 without a second signal. The workflow still de-duplicates
-- events by id; this saves the signal (a billable action and a history event) per redelivery.
CREATE TABLE webhook_deliveries (
  connection_id text NOT NULL,
  partner       text NOT NULL,
  delivery_id   text NOT NULL,
  received_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, partner, delivery_id)
);
CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries (received_at);
