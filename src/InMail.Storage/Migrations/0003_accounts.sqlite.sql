-- Sign-in: password hashes (ASP.NET Core Identity's PBKDF2 format) and access tokens, stored only
-- as SHA-256 hashes so a copy of the database cannot be used to sign in.
CREATE TABLE credentials (
    member_id TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('member', 'operator')), created_at TEXT NOT NULL
);
CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY, member_id TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL
);
CREATE INDEX access_tokens_member ON access_tokens (member_id);
