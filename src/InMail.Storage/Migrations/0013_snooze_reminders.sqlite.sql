-- Snooze and reminders (SPEC §11): each member's own order of the inbox (a snooze or reminder brings a
-- conversation back on top), their snooze and "marked unread"; and the timers the due-work scheduler runs.
ALTER TABLE conversations ADD COLUMN activity_a TEXT;
ALTER TABLE conversations ADD COLUMN activity_b TEXT;
ALTER TABLE conversations ADD COLUMN snoozed_a TEXT;
ALTER TABLE conversations ADD COLUMN snoozed_b TEXT;
ALTER TABLE conversations ADD COLUMN unread_a INTEGER NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN unread_b INTEGER NOT NULL DEFAULT 0;
UPDATE conversations SET activity_a = last_activity_at, activity_b = last_activity_at;
CREATE INDEX conversations_a_mine ON conversations (member_a, activity_a);
CREATE INDEX conversations_b_mine ON conversations (member_b, activity_b);
CREATE TABLE conversation_timers (
    member_id TEXT NOT NULL, other_id TEXT NOT NULL, kind TEXT NOT NULL, due_at TEXT NOT NULL, set_at TEXT NOT NULL,
    PRIMARY KEY (member_id, other_id, kind)
);
CREATE INDEX conversation_timers_due ON conversation_timers (due_at);
