DROP TABLE poll_ledgers;
