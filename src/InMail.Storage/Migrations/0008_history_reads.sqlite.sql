-- Issue 9: history is read from the tables a page at a time, and ids equal but for case are looked up
-- in the table, since memory holds only the working set (decision 007).
-- Ids that differ only by case are one id (issue 10): the working set asks the table, by this index.
CREATE INDEX IF NOT EXISTS members_id_lower ON members (lower(id));
-- The inbox is read from the tables a page at a time (issue 9): a member's conversations by activity,
-- and the messages still unread by whom they are to.
CREATE INDEX IF NOT EXISTS conversations_a_activity ON conversations (member_a, last_activity_at);
CREATE INDEX IF NOT EXISTS conversations_b_activity ON conversations (member_b, last_activity_at);
CREATE INDEX IF NOT EXISTS messages_unread ON messages (to_id) WHERE read_at IS NULL;
