-- Cookie sessions: the cookie carries a random session id, and this table its SHA-256. Signing out
-- deletes the row, so a copy of the cookie stops working at once, on every server process.
CREATE TABLE sessions (
    session_hash TEXT PRIMARY KEY, member_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL
);
CREATE INDEX sessions_member ON sessions (member_id);
