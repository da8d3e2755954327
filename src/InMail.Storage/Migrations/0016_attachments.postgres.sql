-- Attachments (SPEC §11). The bytes of every uploaded file live here, never in the engine: an upload
-- writes a row; a send names uploads by id and the message's document keeps only name, size and type.
-- message_attachments is the projection of the files each message carries (which uploads it sent).
CREATE TABLE attachments (
    id TEXT PRIMARY KEY, owner_id TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, size BIGINT NOT NULL,
    sha256 TEXT NOT NULL, uploaded_at TIMESTAMPTZ NOT NULL, data BYTEA NOT NULL
);
CREATE INDEX attachments_owner ON attachments (owner_id, uploaded_at);
CREATE TABLE message_attachments (
    message_id TEXT NOT NULL, position INTEGER NOT NULL, attachment_id TEXT NOT NULL, name TEXT NOT NULL, size BIGINT NOT NULL,
    type TEXT NOT NULL, PRIMARY KEY (message_id, position)
);
CREATE INDEX message_attachments_file ON message_attachments (attachment_id);
