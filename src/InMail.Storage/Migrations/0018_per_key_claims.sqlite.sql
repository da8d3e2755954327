-- Decision 017: the message numbers a command took, as the log keeps them for a replay to give the same ids.
-- SQLite has one writing process, which names messages from its counter, so it leaves this empty.
ALTER TABLE command_log ADD COLUMN message_numbers TEXT;
