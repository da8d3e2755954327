-- Scheduled sends (SPEC §10): the member's document holds them; this table lets every server find due work without loading members.
CREATE TABLE scheduled_sends (
    owner_id TEXT NOT NULL, id TEXT NOT NULL, to_id TEXT NOT NULL, due_at TEXT NOT NULL, created_at TEXT NOT NULL,
    status TEXT NOT NULL, message_id TEXT, code TEXT, PRIMARY KEY (owner_id, id)
);
CREATE INDEX scheduled_sends_due ON scheduled_sends (due_at, created_at, owner_id, id) WHERE status = 'pending';
