-- The command log (decision 003): every accepted command, in order, with the instant it ran at.
-- Writers hold pg_advisory_xact_lock while they append, so seq order is commit order.
CREATE TABLE command_log (
    seq             BIGINT      PRIMARY KEY,
    at              TIMESTAMPTZ NOT NULL,
    actor           TEXT        NOT NULL,
    idempotency_key TEXT,
    command         TEXT        NOT NULL
);
CREATE UNIQUE INDEX command_log_idempotency ON command_log (actor, idempotency_key) WHERE idempotency_key IS NOT NULL;
