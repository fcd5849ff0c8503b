-- The roster of a PeopleSoft <-> Asana connection: each PeopleSoft employee and the Asana user of the workspace with
-- the same email, or none. Approval tasks are assigned through it (OPRID -> EMPLID -> email -> Asana user).
CREATE TABLE roster_entries (
  connection_id     text NOT NULL,
  emplid            text NOT NULL,
  -- The operator id PSOPRDEFN links to the employee, when the inquiry returns one: how a document's approver is found.
  oprid             text,
  name              text NOT NULL,
  email             text,
  empl_status       text,
  asana_user_gid    text,
  asana_user_name   text,
  -- 'matched': active with an Asana account; 'no-asana-account': active, no user of the workspace has the email;
  -- 'inactive': EMPL_STATUS is not active (left, terminated, on leave), whatever Asana says.
  status            text NOT NULL CHECK (status IN ('matched', 'no-asana-account', 'inactive')),
  source_updated_at timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connection_id, emplid)
);
CREATE INDEX roster_entries_oprid ON roster_entries (connection_id, oprid);
