using System.Data.Common;
using System.Text;
using InMail.Domain;
using InMail.Domain.Credits;
using InMail.Domain.Network;
using InMail.Domain.WorkingSet;

namespace InMail.Storage;

/// <summary>
/// The working set's source on the database (decision 007): aggregate documents from <c>aggregates</c>,
/// a message's conversation from <c>messages</c>, idempotency records from <c>idempotency_keys</c>
/// with the first answer from <c>idempotency_results</c>. It reads on a connection of its own, only
/// under the store's lock, and sees what is committed: what the writer holds uncommitted is in memory.
/// </summary>
internal sealed class DatabaseStateSource(Backend backend, bool trackVersions) : IStateSource, IDisposable
{
    private DbConnection? _connection;
    private DbCommand? _document;
    private DbCommand? _message;
    private DbCommand? _idempotency;
    private DbCommand? _lots;
    private DbCommand? _caseless;
    private DbCommand? _ledgerPage;
    private DbCommand? _balance;
    private DbCommand? _bodies;
    private DbCommand? _recipients;
    private DbCommand? _partners;

    /// <summary>
    /// Decision 017: the version (the <c>seq</c> of the document) each aggregate read from here was read at, 0 for
    /// one that had no document; the writer updates it for what it writes. A batch's claim checks these. Kept only
    /// when writers claim per key: a single writer (SQLite) needs none.
    /// </summary>
    public Dictionary<AggregateKey, long> Versions { get; } = [];

    // Documents read ahead for the batch being decided (Prefetch): a found one is answered once by Read (it is in memory
    // after that), an absent one every time until the batch ends; all forgotten after the batch (ForgetPrefetched).
    private readonly Dictionary<AggregateKey, (byte[]? Doc, long Seq)> _prefetched = [];
    private DbCommand? _documents;

    /// <summary>
    /// Reads the documents of <paramref name="keys"/> in one query, so that deciding a batch does not wait for one
    /// round trip per aggregate it loads: <see cref="Read"/> answers them from what this read found. It also starts the
    /// batch's memory of absent documents. Call <see cref="ForgetPrefetched"/> when the batch is done.
    /// </summary>
    public void Prefetch(IReadOnlyCollection<AggregateKey> keys)
    {
        _batching = true;
        if (keys.Count < 2)
        {
            return; // one document is one round trip either way
        }
        var postgres = backend.Dialect == "postgres";
        var command = _documents ??= Prepare(postgres
            ? "SELECT key, doc, seq FROM aggregates WHERE key = ANY({0})"
            : "SELECT key, doc, seq FROM aggregates WHERE key IN (SELECT value FROM json_each({0}))", 1);
        var byName = new Dictionary<string, AggregateKey>(keys.Count, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            byName[key.ToString()] = key;
            _prefetched[key] = (null, 0);
        }
        var names = byName.Keys.ToArray();
        command.Parameters[0].Value = postgres ? names : System.Text.Json.JsonSerializer.Serialize(names);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (byName.TryGetValue(reader.GetString(0), out var key))
            {
                _prefetched[key] = (Encoding.UTF8.GetBytes(reader.GetString(1)), reader.GetInt64(2));
            }
        }
    }

    /// <summary>Drops what <see cref="Prefetch"/> read and no load asked for: it may be stale after the batch.</summary>
    public void ForgetPrefetched()
    {
        _prefetched.Clear();
        _batching = false;
    }

    // Between Prefetch and ForgetPrefetched: a document found absent is remembered as absent for the rest of the batch.
    private bool _batching;

    public byte[]? Read(AggregateKey key)
    {
        if (_prefetched.TryGetValue(key, out var ahead))
        {
            if (ahead.Doc is not null)
            {
                _prefetched.Remove(key); // it is in memory from now on
            }
            if (trackVersions)
            {
                Versions[key] = ahead.Seq;
            }
            return ahead.Doc; // an absent one stays absent for the rest of the batch: the batch's own writes are in memory
        }
        var command = _document ??= Prepare("SELECT doc, seq FROM aggregates WHERE key = {0}", 1);
        command.Parameters[0].Value = key.ToString();
        using var reader = command.ExecuteReader();
        var found = reader.Read();
        if (trackVersions)
        {
            Versions[key] = found ? reader.GetInt64(1) : 0;
        }
        if (!found && _batching)
        {
            _prefetched[key] = (null, 0);
        }
        return found ? Encoding.UTF8.GetBytes(reader.GetString(0)) : null;
    }

    public MemberPair? ConversationOfMessage(string messageId)
    {
        var command = _message ??= Prepare("SELECT member_a, member_b FROM messages WHERE id = {0}", 1);
        command.Parameters[0].Value = messageId;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new MemberPair(reader.GetString(0), reader.GetString(1)) : null;
    }

    public IReadOnlyList<(string To, string Body)>? InMailBodiesSince(string from, DateTimeOffset after, DateTimeOffset upTo)
    {
        var command = _bodies ??= Prepare(
            "SELECT to_id, body FROM messages WHERE from_id = {0} AND path IN ('inmail', 'open-profile') AND sent_at > {1} AND sent_at <= {2}", 3);
        command.Parameters[0].Value = from;
        command.Parameters[1].Value = Instant(after);
        command.Parameters[2].Value = Instant(upTo);
        using var reader = command.ExecuteReader();
        var bodies = new List<(string, string)>();
        while (reader.Read())
        {
            bodies.Add((reader.GetString(0), reader.GetString(1)));
        }
        return bodies;
    }

    public IReadOnlyCollection<string>? PaidInMailRecipientsSince(string from, DateTimeOffset since)
    {
        // messages_facts (from_id, sent_at, path, to_id, …) answers it from the index alone.
        var command = _recipients ??= Prepare("SELECT DISTINCT to_id FROM messages WHERE from_id = {0} AND sent_at >= {1} AND path = 'inmail'", 2);
        command.Parameters[0].Value = from;
        command.Parameters[1].Value = Instant(since);
        using var reader = command.ExecuteReader();
        var recipients = new List<string>();
        while (reader.Read())
        {
            recipients.Add(reader.GetString(0));
        }
        return recipients;
    }

    public IReadOnlyList<string> ConversationPartnersOf(string member)
    {
        // Each side from its own index: the primary key (member_a, …) and conversations_b_mine (member_b, …).
        var command = _partners ??= Prepare("SELECT member_b FROM conversations WHERE member_a = {0} UNION ALL SELECT member_a FROM conversations WHERE member_b = {0}", 1);
        command.Parameters[0].Value = member;
        using var reader = command.ExecuteReader();
        var partners = new List<string>();
        while (reader.Read())
        {
            partners.Add(reader.GetString(0));
        }
        partners.Sort(StringComparer.Ordinal);
        return partners;
    }

    private object Instant(DateTimeOffset t) => backend.Dialect == "sqlite" ? SqliteBackend.FormatInstant(t) : t.ToUniversalTime();

    public IdempotencyRecord? FindIdempotencyRecord(string actor, string key)
    {
        var command = _idempotency ??= Prepare(
            "SELECT k.fingerprint, k.at, r.result FROM idempotency_keys k LEFT JOIN idempotency_results r ON r.actor = k.actor AND r.key = k.key WHERE k.actor = {0} AND k.key = {1}", 2);
        command.Parameters[0].Value = actor;
        command.Parameters[1].Value = key;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }
        return new IdempotencyRecord(reader.GetString(0), new StoredResult(reader.IsDBNull(2) ? null : reader.GetString(2)), backend.ReadInstant(reader, 1));
    }

    public string? MemberIdIgnoringCase(string id)
    {
        var command = _caseless ??= Prepare("SELECT id FROM members WHERE lower(id) = lower({0}) LIMIT 1", 1);
        command.Parameters[0].Value = id;
        return command.ExecuteScalar() as string;
    }

    public IReadOnlyList<LedgerEntry> LedgerOf(WalletId wallet) => LedgerPage(wallet, long.MaxValue, int.MaxValue);

    private List<LedgerEntry> ReadEntries(DbCommand command, WalletId wallet)
    {
        using var reader = command.ExecuteReader();
        var entries = new List<LedgerEntry>();
        while (reader.Read())
        {
            entries.Add(new LedgerEntry(reader.GetInt64(0), backend.ReadInstant(reader, 1), wallet, reader.GetInt64(2),
                Enum.Parse<LotSource>(reader.GetString(3), ignoreCase: true), Enum.Parse<LedgerKind>(reader.GetString(4), ignoreCase: true), reader.GetInt32(5),
                backend.ReadInstant(reader, 6), Text(reader, 7), Text(reader, 8), Text(reader, 9)));
        }
        return entries;
    }

    public IReadOnlyList<LedgerEntry> LedgerPage(WalletId wallet, long beforeSequence, int take)
    {
        var command = _ledgerPage ??= Prepare(
            "SELECT entry_no, at, lot_no, source, kind, delta, lot_expires, message_id, member_id, note FROM ledger_entries WHERE wallet_kind = {0} AND wallet_id = {1} AND entry_no < {2} ORDER BY entry_no DESC LIMIT {3}", 4);
        var (kind, owner) = Projection.Projector.WalletKey(wallet);
        command.Parameters[0].Value = kind;
        command.Parameters[1].Value = owner;
        command.Parameters[2].Value = beforeSequence;
        command.Parameters[3].Value = (long)take;
        var entries = ReadEntries(command, wallet);
        entries.Reverse();
        return entries;
    }

    public int BalanceBefore(WalletId wallet, long sequence)
    {
        var command = _balance ??= Prepare("SELECT COALESCE(SUM(delta), 0) FROM ledger_entries WHERE wallet_kind = {0} AND wallet_id = {1} AND entry_no < {2}", 3);
        var (kind, owner) = Projection.Projector.WalletKey(wallet);
        command.Parameters[0].Value = kind;
        command.Parameters[1].Value = owner;
        command.Parameters[2].Value = sequence;
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public IReadOnlyList<Lot> EndedLotsOf(WalletId wallet)
    {
        var command = _lots ??= Prepare(
            "SELECT lot_no, source, granted, granted_at, expires, remaining, end_state, ended_at FROM lots WHERE wallet_kind = {0} AND wallet_id = {1} AND end_state <> 'live' ORDER BY lot_no", 2);
        var (kind, owner) = Projection.Projector.WalletKey(wallet);
        command.Parameters[0].Value = kind;
        command.Parameters[1].Value = owner;
        using var reader = command.ExecuteReader();
        var lots = new List<Lot>();
        while (reader.Read())
        {
            lots.Add(Lot.Stored(reader.GetInt64(0), wallet, Enum.Parse<LotSource>(reader.GetString(1), ignoreCase: true), reader.GetInt32(2),
                backend.ReadInstant(reader, 3), backend.ReadInstant(reader, 4), reader.GetInt32(5), Enum.Parse<LotEnd>(reader.GetString(6), ignoreCase: true),
                reader.IsDBNull(7) ? null : backend.ReadInstant(reader, 7)));
        }
        return lots;
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Closes the connection (after a failure, or at the end); the next read opens a new one.</summary>
    public void Reset()
    {
        _prefetched.Clear();
        _documents?.Dispose();
        _documents = null;
        _document?.Dispose();
        _message?.Dispose();
        _idempotency?.Dispose();
        _lots?.Dispose();
        _caseless?.Dispose();
        _ledgerPage?.Dispose();
        _balance?.Dispose();
        _bodies?.Dispose();
        _recipients?.Dispose();
        _partners?.Dispose();
        _document = _message = _idempotency = _lots = _caseless = _ledgerPage = _balance = _bodies = _recipients = _partners = null;
        _connection?.Dispose();
        _connection = null;
    }

    public void Dispose() => Reset();

    private DbCommand Prepare(string sql, int parameters)
    {
        _connection ??= backend.Open();
        var command = _connection.CreateCommand();
        var postgres = backend.Dialect == "postgres";
        command.CommandText = string.Format(System.Globalization.CultureInfo.InvariantCulture, sql,
            Enumerable.Range(0, parameters).Select(i => (object)(postgres ? $"${i + 1}" : $"@p{i}")).ToArray());
        for (var i = 0; i < parameters; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = postgres ? "" : $"@p{i}";
            command.Parameters.Add(p);
        }
        return command;
    }
}

/// <summary>
/// The first answer to an idempotent request, as JSON, when its record came back from the database
/// rather than from memory: a retry returns it as it was first given (null when none was kept).
/// </summary>
public sealed record StoredResult(string? Json);
