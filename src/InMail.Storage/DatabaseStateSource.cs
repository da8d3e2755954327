using System.Data.Common;
using System.Text;
using InMail.Domain;
using InMail.Domain.Network;
using InMail.Domain.WorkingSet;

namespace InMail.Storage;

/// <summary>
/// The working set's source on the database (decision 007): aggregate documents from <c>aggregates</c>,
/// a message's conversation from <c>messages</c>, idempotency records from <c>idempotency_keys</c>
/// with the first answer from <c>idempotency_results</c>. It reads on a connection of its own, only
/// under the store's lock, and sees what is committed: what the writer holds uncommitted is in memory.
/// </summary>
internal sealed class DatabaseStateSource(Backend backend) : IStateSource, IDisposable
{
    private DbConnection? _connection;
    private DbCommand? _document;
    private DbCommand? _message;
    private DbCommand? _idempotency;

    public byte[]? Read(AggregateKey key)
    {
        var command = _document ??= Prepare("SELECT doc FROM aggregates WHERE key = {0}", 1);
        command.Parameters[0].Value = key.ToString();
        return command.ExecuteScalar() is string doc ? Encoding.UTF8.GetBytes(doc) : null;
    }

    public MemberPair? ConversationOfMessage(string messageId)
    {
        var command = _message ??= Prepare("SELECT member_a, member_b FROM messages WHERE id = {0}", 1);
        command.Parameters[0].Value = messageId;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new MemberPair(reader.GetString(0), reader.GetString(1)) : null;
    }

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

    /// <summary>Closes the connection (after a failure, or at the end); the next read opens a new one.</summary>
    public void Reset()
    {
        _document?.Dispose();
        _message?.Dispose();
        _idempotency?.Dispose();
        _document = _message = _idempotency = null;
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
