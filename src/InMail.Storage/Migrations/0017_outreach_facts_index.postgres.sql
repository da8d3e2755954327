-- Issue 13 (decision 016): the Results page reads the facts of every InMail a member sent. An index that
-- carries every column those facts need allows an index-only scan instead of visiting table rows that
-- carry each message's body. It starts with (from_id, sent_at), so it also serves everything
-- messages_from_sent served, which it replaces.
CREATE INDEX IF NOT EXISTS messages_facts ON messages (from_id, sent_at)
    INCLUDE (path, to_id, read_at, responded_at, response, refunded_at, outcome, charged_wallet_kind, body_chars);
DROP INDEX IF EXISTS messages_from_sent;
