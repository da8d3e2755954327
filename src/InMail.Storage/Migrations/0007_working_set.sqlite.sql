-- Decision 007: the working set. Each aggregate (member, team, group, conversation, the counters)
-- as the document the engine loads it from on demand, written in the same transaction as the
-- commands that changed it; seq is the last command that wrote it.
CREATE TABLE aggregates (key TEXT PRIMARY KEY, seq INTEGER NOT NULL, doc TEXT NOT NULL);
-- The aggregates a batch changed, on the batch's last command: other processes forget those.
ALTER TABLE command_log ADD COLUMN touched TEXT;
-- What an idempotent request answered the first time (JSON), for a retry that finds it out of memory.
CREATE TABLE idempotency_results (actor TEXT NOT NULL, key TEXT NOT NULL, result TEXT, PRIMARY KEY (actor, key));
-- Ids that differ only by case are one id (issue 10): the working set asks the table, by this index.
CREATE INDEX members_id_lower ON members (lower(id));
-- The inbox is read from the tables a page at a time (issue 9): a member's conversations by activity,
-- and the messages still unread by whom they are to.
CREATE INDEX conversations_a_activity ON conversations (member_a, last_activity_at);
CREATE INDEX conversations_b_activity ON conversations (member_b, last_activity_at);
CREATE INDEX messages_unread ON messages (to_id) WHERE read_at IS NULL;
