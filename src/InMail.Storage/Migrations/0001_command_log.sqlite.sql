-- The command log (decision 003): every accepted command, in order, with the instant it ran at.
-- The engine's state is a pure function of this table; replaying it rebuilds every lot, ledger
-- entry, message and idempotency record.
CREATE TABLE command_log (
    seq             INTEGER PRIMARY KEY,
    at              TEXT    NOT NULL,   -- ISO-8601 UTC, never earlier than the row before
    actor           TEXT    NOT NULL,   -- who asked ('' for the system and scripts)
    idempotency_key TEXT,               -- the client's key, when the request carried one
    command         TEXT    NOT NULL    -- the command as JSON, its verb in "do"
);
CREATE UNIQUE INDEX command_log_idempotency ON command_log (actor, idempotency_key) WHERE idempotency_key IS NOT NULL;
