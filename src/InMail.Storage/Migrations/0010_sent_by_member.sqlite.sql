-- The coach's copy-paste finding (SPEC §10) reads a sender's recent InMails from one index, not from every conversation.
CREATE INDEX IF NOT EXISTS messages_from_sent ON messages (from_id, sent_at);
