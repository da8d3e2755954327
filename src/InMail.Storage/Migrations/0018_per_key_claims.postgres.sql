-- Decision 017: writers on one PostgreSQL database lock what a batch touches, not the whole database.

-- The message numbers a command took (comma-separated), so a replay of the log gives the same ids.
ALTER TABLE command_log ADD COLUMN message_numbers TEXT;

-- The log's order is taken from a sequence while the batch holds the locks of every aggregate it writes,
-- so two commands on one aggregate are logged in the order they were applied; unrelated ones interleave.
CREATE SEQUENCE IF NOT EXISTS command_log_order;
SELECT setval('command_log_order', coalesce((SELECT max(seq) FROM command_log), 0) + 1, false);
ALTER TABLE command_log ALTER COLUMN seq SET DEFAULT nextval('command_log_order');

-- The transaction that logged each command: another process reads the log by it, below the oldest transaction
-- still running, so it sees every commit exactly once even when commits end out of seq order. Rows logged
-- before this migration have none and are history every process already has in the documents.
ALTER TABLE command_log ADD COLUMN tx xid8;
ALTER TABLE command_log ALTER COLUMN tx SET DEFAULT pg_current_xact_id();
CREATE INDEX IF NOT EXISTS command_log_tx ON command_log (tx) WHERE tx IS NOT NULL;

-- Message numbers come in blocks of 1,000 from this sequence (block b names msg-(1000b+1) … msg-(1000b+1000)),
-- the first above what the single-writer counter (the x:ids document) had named.
CREATE SEQUENCE IF NOT EXISTS message_number_blocks MINVALUE 0 START 0;
SELECT setval('message_number_blocks',
    coalesce((SELECT ((doc::jsonb ->> 'msg')::bigint + 999) / 1000 FROM aggregates WHERE key = 'x:ids'), 0), false);

-- Claims a batch's aggregates for its transaction: takes an advisory lock on each key (and on each
-- idempotency key the batch uses) in one fixed order, so two batches never deadlock, then checks that every
-- aggregate is still at the version the batch read it at (its document's seq; 0 for one that did not exist)
-- and that no idempotency key was used meanwhile. If one is stale, it raises IM409 naming them, and the
-- writer rolls back, forgets them and runs its batch again.
CREATE OR REPLACE FUNCTION inmail_claim(keys text[], versions bigint[], claimed_actors text[], claimed_keys text[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    stale text;
BEGIN
    -- One statement for every lock (a statement per lock costs tens of microseconds each): the sorted subquery
    -- feeds the scan that takes them, so they are taken in ascending order.
    PERFORM count(pg_advisory_xact_lock(h)) FROM (
        SELECT DISTINCT h FROM (
            SELECT hashtextextended(k, 0) AS h FROM unnest(keys) AS k
            UNION ALL
            SELECT hashtextextended('i:' || a || E'\n' || k, 0) FROM unnest(claimed_actors, claimed_keys) AS u(a, k)
        ) AS all_locks ORDER BY h
    ) AS ordered;
    SELECT string_agg(w.k, E'\n') INTO stale
    FROM unnest(keys, versions) AS w(k, v) LEFT JOIN aggregates a ON a.key = w.k
    WHERE coalesce(a.seq, 0) <> w.v;
    IF stale IS NULL THEN
        SELECT string_agg('i:' || u.a, E'\n') INTO stale
        FROM unnest(claimed_actors, claimed_keys) AS u(a, k)
        WHERE EXISTS (SELECT 1 FROM idempotency_keys i WHERE i.actor = u.a AND i.key = u.k);
    END IF;
    IF stale IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = 'IM409', MESSAGE = stale;
    END IF;
END
$$;
