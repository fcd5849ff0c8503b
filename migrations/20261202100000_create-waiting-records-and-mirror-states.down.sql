DROP TABLE mirror_states;
DROP TABLE waiting_records;
