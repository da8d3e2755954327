-- The projection (decision 003): the engine's state as rows, written in the same transaction as
-- the commands that changed it. Instants are ISO-8601 UTC text; booleans are 0/1.
CREATE TABLE members (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, headline TEXT, company TEXT, time_zone TEXT,
    joined_at TEXT NOT NULL, open_profile INTEGER NOT NULL, inmail_enabled INTEGER NOT NULL,
    group_messages_enabled INTEGER NOT NULL, team_id TEXT, restricted_until TEXT
);
CREATE TABLE subscriptions (
    owner_kind TEXT NOT NULL CHECK (owner_kind IN ('member', 'team')), owner_id TEXT NOT NULL,
    plan TEXT NOT NULL, billing TEXT NOT NULL, anchor TEXT NOT NULL, next_cycle INTEGER NOT NULL, ends_at TEXT,
    PRIMARY KEY (owner_kind, owner_id)
);
CREATE TABLE connections (member_id TEXT NOT NULL, other_id TEXT NOT NULL, PRIMARY KEY (member_id, other_id));
CREATE TABLE blocks (member_id TEXT NOT NULL, blocked_id TEXT NOT NULL, PRIMARY KEY (member_id, blocked_id));
CREATE TABLE invitations (from_id TEXT NOT NULL, to_id TEXT NOT NULL, note TEXT, sent_at TEXT NOT NULL, PRIMARY KEY (from_id, to_id));
CREATE TABLE groups (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE group_members (group_id TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (group_id, member_id));
CREATE TABLE teams (id TEXT PRIMARY KEY, admin_id TEXT NOT NULL, seat_cap INTEGER, usage_cycle INTEGER NOT NULL, ended_at TEXT);
CREATE TABLE team_seats (team_id TEXT NOT NULL, member_id TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (team_id, member_id));
CREATE TABLE lots (
    wallet_kind TEXT NOT NULL, wallet_id TEXT NOT NULL, lot_no INTEGER NOT NULL,
    source TEXT NOT NULL, granted INTEGER NOT NULL CHECK (granted > 0), granted_at TEXT NOT NULL, expires TEXT NOT NULL,
    remaining INTEGER NOT NULL CHECK (remaining BETWEEN 0 AND granted), end_state TEXT NOT NULL, ended_at TEXT,
    PRIMARY KEY (wallet_kind, wallet_id, lot_no)
);
CREATE TABLE ledger_entries (
    wallet_kind TEXT NOT NULL, wallet_id TEXT NOT NULL, entry_no INTEGER NOT NULL,
    at TEXT NOT NULL, lot_no INTEGER NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, delta INTEGER NOT NULL,
    lot_expires TEXT NOT NULL, message_id TEXT, member_id TEXT, note TEXT,
    PRIMARY KEY (wallet_kind, wallet_id, entry_no)
);
CREATE INDEX ledger_entries_message ON ledger_entries (message_id) WHERE message_id IS NOT NULL;
-- The ledger and the log are append-only: history is corrected by new entries, never by edits.
CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries BEGIN SELECT RAISE(ABORT, 'ledger_entries is append-only'); END;
CREATE TRIGGER command_log_no_update BEFORE UPDATE ON command_log BEGIN SELECT RAISE(ABORT, 'command_log is append-only'); END;
CREATE TRIGGER command_log_no_delete BEFORE DELETE ON command_log BEGIN SELECT RAISE(ABORT, 'command_log is append-only'); END;
CREATE TABLE conversations (
    member_a TEXT NOT NULL, member_b TEXT NOT NULL, last_activity_at TEXT NOT NULL,
    archived_a INTEGER NOT NULL, archived_b INTEGER NOT NULL, PRIMARY KEY (member_a, member_b)
);
CREATE TABLE messages (
    id TEXT PRIMARY KEY, member_a TEXT NOT NULL, member_b TEXT NOT NULL, position INTEGER NOT NULL,
    from_id TEXT NOT NULL, to_id TEXT NOT NULL, path TEXT NOT NULL, subject TEXT, body TEXT NOT NULL, sent_at TEXT NOT NULL,
    charged_wallet_kind TEXT, charged_wallet_id TEXT, charged_lot_no INTEGER,
    responds_with TEXT, read_at TEXT, response TEXT, responded_at TEXT, refunded_at TEXT
);
CREATE INDEX messages_conversation ON messages (member_a, member_b, position);
CREATE TABLE spam_reports (message_id TEXT PRIMARY KEY, reporter_id TEXT NOT NULL, sender_id TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE idempotency_keys (actor TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, at TEXT NOT NULL, result_kind TEXT NOT NULL, PRIMARY KEY (actor, key));
