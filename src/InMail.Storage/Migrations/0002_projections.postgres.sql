-- The projection (decision 003): the engine's state as rows, written in the same transaction as
-- the commands that changed it.
CREATE TABLE members (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, headline TEXT, company TEXT, time_zone TEXT,
    joined_at TIMESTAMPTZ NOT NULL, open_profile BOOLEAN NOT NULL, inmail_enabled BOOLEAN NOT NULL,
    group_messages_enabled BOOLEAN NOT NULL, team_id TEXT, restricted_until TIMESTAMPTZ
);
CREATE TABLE subscriptions (
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('member', 'team')), owner_id TEXT NOT NULL,
    plan TEXT NOT NULL, billing TEXT NOT NULL, anchor TIMESTAMPTZ NOT NULL, next_cycle INTEGER NOT NULL, ends_at TIMESTAMPTZ,
    PRIMARY KEY (owner_kind, owner_id)
);
CREATE TABLE connections (member_id TEXT NOT NULL, other_id TEXT NOT NULL, PRIMARY KEY (member_id, other_id));
CREATE TABLE blocks (member_id TEXT NOT NULL, blocked_id TEXT NOT NULL, PRIMARY KEY (member_id, blocked_id));
CREATE TABLE invitations (from_id TEXT NOT NULL, to_id TEXT NOT NULL, note TEXT, sent_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (from_id, to_id));
CREATE TABLE groups (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE group_members (group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
CREATE TABLE teams (id TEXT PRIMARY KEY, admin_id TEXT NOT NULL, seat_cap INTEGER, usage_cycle INTEGER NOT NULL, ended_at TIMESTAMPTZ);
CREATE TABLE team_seats (team_id TEXT NOT NULL, member_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (team_id, member_id));
CREATE TABLE lots (
    wallet_kind TEXT NOT NULL, wallet_id TEXT NOT NULL, lot_no BIGINT NOT NULL,
    source TEXT NOT NULL, granted INTEGER NOT NULL CHECK (granted > 0), granted_at TIMESTAMPTZ NOT NULL, expires TIMESTAMPTZ NOT NULL,
    remaining INTEGER NOT NULL CHECK (remaining BETWEEN 0 AND granted), end_state TEXT NOT NULL, ended_at TIMESTAMPTZ,
    PRIMARY KEY (wallet_kind, wallet_id, lot_no)
);
CREATE TABLE ledger_entries (
    wallet_kind TEXT NOT NULL, wallet_id TEXT NOT NULL, entry_no BIGINT NOT NULL,
    at TIMESTAMPTZ NOT NULL, lot_no BIGINT NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, delta INTEGER NOT NULL,
    lot_expires TIMESTAMPTZ NOT NULL, message_id TEXT, member_id TEXT, note TEXT,
    PRIMARY KEY (wallet_kind, wallet_id, entry_no)
);
CREATE INDEX ledger_entries_message ON ledger_entries (message_id) WHERE message_id IS NOT NULL;
-- The ledger and the log are append-only: history is corrected by new entries, never by edits.
CREATE FUNCTION inmail_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION inmail_append_only();
CREATE TRIGGER command_log_append_only BEFORE UPDATE OR DELETE ON command_log FOR EACH ROW EXECUTE FUNCTION inmail_append_only();
CREATE TABLE conversations (
    member_a TEXT NOT NULL, member_b TEXT NOT NULL, last_activity_at TIMESTAMPTZ NOT NULL,
    archived_a BOOLEAN NOT NULL, archived_b BOOLEAN NOT NULL, PRIMARY KEY (member_a, member_b)
);
CREATE TABLE messages (
    id TEXT PRIMARY KEY, member_a TEXT NOT NULL, member_b TEXT NOT NULL, position INTEGER NOT NULL,
    from_id TEXT NOT NULL, to_id TEXT NOT NULL, path TEXT NOT NULL, subject TEXT, body TEXT NOT NULL, sent_at TIMESTAMPTZ NOT NULL,
    charged_wallet_kind TEXT, charged_wallet_id TEXT, charged_lot_no BIGINT,
    responds_with TEXT, read_at TIMESTAMPTZ, response TEXT, responded_at TIMESTAMPTZ, refunded_at TIMESTAMPTZ
);
CREATE INDEX messages_conversation ON messages (member_a, member_b, position);
CREATE TABLE spam_reports (message_id TEXT PRIMARY KEY, reporter_id TEXT NOT NULL, sender_id TEXT NOT NULL, at TIMESTAMPTZ NOT NULL);
CREATE TABLE idempotency_keys (actor TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, at TIMESTAMPTZ NOT NULL, result_kind TEXT NOT NULL, PRIMARY KEY (actor, key));
