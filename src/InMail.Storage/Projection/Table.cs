namespace InMail.Storage.Projection;

/// <summary>How a write treats a row that is already there.</summary>
public enum WriteKind
{
    /// <summary>Insert, or update the value columns of the row with the same key.</summary>
    Upsert,

    /// <summary>Insert; a row with the same key is left alone (append-only tables: the ledger, the log).</summary>
    Append,

    /// <summary>Delete the row with the key (values hold only the key columns).</summary>
    Delete,
}

/// <summary>A table the projection writes: its key columns first, then its value columns.</summary>
public sealed class Table
{
    public Table(string name, string[] keys, string[] values)
    {
        Name = name;
        Keys = keys;
        Values = values;
        Columns = [.. keys, .. values];
    }

    public string Name { get; }
    public IReadOnlyList<string> Keys { get; }
    public IReadOnlyList<string> Values { get; }
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// The statement for a kind of write, with one parameter per column in column order: <c>@p0</c>…
    /// or, <paramref name="positional"/>, <c>$1</c>…. SQLite and PostgreSQL share the upsert syntax.
    /// </summary>
    public string Sql(WriteKind kind, bool positional)
    {
        string P(int i) => positional ? $"${i + 1}" : $"@p{i}";
        var columns = string.Join(", ", Columns);
        var parameters = string.Join(", ", Columns.Select((_, i) => P(i)));
        var keys = string.Join(", ", Keys);
        return kind switch
        {
            WriteKind.Upsert when Values.Count == 0 => $"INSERT INTO {Name} ({columns}) VALUES ({parameters}) ON CONFLICT ({keys}) DO NOTHING",
            WriteKind.Upsert => $"INSERT INTO {Name} ({columns}) VALUES ({parameters}) ON CONFLICT ({keys}) DO UPDATE SET {string.Join(", ", Values.Select(v => $"{v} = excluded.{v}"))}",
            WriteKind.Append => $"INSERT INTO {Name} ({columns}) VALUES ({parameters}) ON CONFLICT ({keys}) DO NOTHING",
            WriteKind.Delete => $"DELETE FROM {Name} WHERE {string.Join(" AND ", Keys.Select((k, i) => $"{k} = {P(i)}"))}",
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown write kind"),
        };
    }

    public override string ToString() => Name;
}

/// <summary>One row to write: for a delete, only the key values.</summary>
public readonly record struct Write(Table Table, WriteKind Kind, object?[] Row);

/// <summary>The tables of the projection (migration 0002, messages' outcome from 0004 and body length from 0015, seat offers from 0006) and of accounts (0003, sessions 0005), in one place.</summary>
public static class Tables
{
    public static readonly Table CommandLog = new("command_log", ["seq"], ["at", "actor", "idempotency_key", "command", "touched", "message_numbers"]);

    /// <summary>Decision 007: each aggregate's document, which the working set loads on demand.</summary>
    public static readonly Table Aggregates = new("aggregates", ["key"], ["seq", "doc"]);

    /// <summary>What an idempotent request answered the first time.</summary>
    public static readonly Table IdempotencyResults = new("idempotency_results", ["actor", "key"], ["result"]);

    public static readonly Table Members = new("members", ["id"],
        ["name", "headline", "company", "time_zone", "joined_at", "open_profile", "inmail_enabled", "group_messages_enabled", "team_id", "restricted_until"]);

    public static readonly Table Subscriptions = new("subscriptions", ["owner_kind", "owner_id"],
        ["plan", "billing", "anchor", "next_cycle", "ends_at"]);

    public static readonly Table Connections = new("connections", ["member_id", "other_id"], []);
    public static readonly Table Blocks = new("blocks", ["member_id", "blocked_id"], []);
    public static readonly Table Invitations = new("invitations", ["from_id", "to_id"], ["note", "sent_at"]);
    public static readonly Table Groups = new("groups", ["id"], ["name"]);
    public static readonly Table GroupMembers = new("group_members", ["group_id", "member_id"], []);

    public static readonly Table Teams = new("teams", ["id"], ["admin_id", "seat_cap", "usage_cycle", "ended_at"]);
    public static readonly Table TeamSeats = new("team_seats", ["team_id", "member_id"], ["position"]);

    /// <summary>Seats offered and not yet accepted or declined (migration 0006).</summary>
    public static readonly Table TeamSeatOffers = new("team_seat_offers", ["team_id", "member_id"], ["offered_at"]);

    /// <summary>Scheduled sends, pending and past, for the due-work scheduler and the lists (migration 0009).</summary>
    public static readonly Table ScheduledSends = new("scheduled_sends", ["owner_id", "id"], ["to_id", "due_at", "created_at", "status", "message_id", "code"]);

    /// <summary>Sequence enrolments, for the due-work scheduler and the sequence page (migration 0011).</summary>
    public static readonly Table SequenceEnrollments = new("sequence_enrollments", ["owner_id", "sequence_id", "ordinal"],
        ["to_id", "enrolled_at", "variant", "status", "steps_sent", "next_due_at", "reason"]);

    /// <summary>Inbox labels and the conversations carrying them (migration 0012).</summary>
    public static readonly Table MemberLabels = new("member_labels", ["member_id", "label_id"], ["name"]);
    public static readonly Table ConversationLabels = new("conversation_labels", ["member_id", "label_id", "other_id"], []);

    public static readonly Table Lots = new("lots", ["wallet_kind", "wallet_id", "lot_no"],
        ["source", "granted", "granted_at", "expires", "remaining", "end_state", "ended_at"]);

    public static readonly Table Ledger = new("ledger_entries", ["wallet_kind", "wallet_id", "entry_no"],
        ["at", "lot_no", "source", "kind", "delta", "lot_expires", "message_id", "member_id", "note"]);

    public static readonly Table Conversations = new("conversations", ["member_a", "member_b"],
        ["last_activity_at", "archived_a", "archived_b", "activity_a", "activity_b", "snoozed_a", "snoozed_b", "unread_a", "unread_b"]);

    /// <summary>Snoozes and reminders the due-work scheduler runs (migration 0013).</summary>
    public static readonly Table ConversationTimers = new("conversation_timers", ["member_id", "other_id", "kind"], ["due_at", "set_at"]);

    public static readonly Table Messages = new("messages", ["id"],
        ["member_a", "member_b", "position", "from_id", "to_id", "path", "subject", "body", "sent_at", "charged_wallet_kind", "charged_wallet_id",
         "charged_lot_no", "responds_with", "read_at", "response", "responded_at", "refunded_at", "outcome", "template_id", "body_chars"]);

    /// <summary>The files each message carries (migration 0016); the bytes are in <c>attachments</c>, written by uploads, not by the projection.</summary>
    public static readonly Table MessageAttachments = new("message_attachments", ["message_id", "position"], ["attachment_id", "name", "size", "type"]);

    /// <summary>Uploaded files' bytes (migration 0016), written by uploads beside the log, never by the projection.</summary>
    public static readonly Table Attachments = new("attachments", ["id"], ["owner_id", "name", "type", "size", "sha256", "uploaded_at", "data"]);

    public static readonly Table SpamReports = new("spam_reports", ["message_id"], ["reporter_id", "sender_id", "at"]);

    public static readonly Table IdempotencyKeys = new("idempotency_keys", ["actor", "key"], ["fingerprint", "at", "result_kind"]);

    public static readonly Table Credentials = new("credentials", ["member_id"], ["password_hash", "role", "created_at"]);

    public static readonly Table AccessTokens = new("access_tokens", ["token_hash"], ["member_id", "created_at", "expires_at"]);

    /// <summary>Cookie sessions (migration 0005): a session ends on the server when its row is deleted.</summary>
    public static readonly Table Sessions = new("sessions", ["session_hash"], ["member_id", "created_at", "expires_at"]);
}
