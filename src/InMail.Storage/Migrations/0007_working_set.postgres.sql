-- Decision 007: the working set. Each aggregate (member, team, group, conversation, the counters)
-- as the document the engine loads it from on demand, written in the same transaction as the
-- commands that changed it; seq is the last command that wrote it.
CREATE TABLE aggregates (key TEXT PRIMARY KEY, seq BIGINT NOT NULL, doc TEXT NOT NULL);
-- The aggregates a batch changed, on the batch's last command: other processes forget those.
ALTER TABLE command_log ADD COLUMN touched TEXT;
-- What an idempotent request answered the first time (JSON), for a retry that finds it out of memory.
CREATE TABLE idempotency_results (actor TEXT NOT NULL, key TEXT NOT NULL, result TEXT, PRIMARY KEY (actor, key));
