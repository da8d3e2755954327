using System.Data.Common;
using System.Runtime.CompilerServices;

namespace InMail.Storage;

/// <summary>
/// The rows of the CSV exports (SPEC §11, issue 12), read from the tables a row at a time: a member
/// with a hundred thousand messages is never held in memory, and a slow client only slows its own
/// connection.
/// </summary>
public sealed partial class CommandStore
{
    /// <summary>The columns of <see cref="SentInMailsAsync"/>.</summary>
    public static readonly IReadOnlyList<string> SentInMailColumns =
        ["message", "sent_at", "to", "to_name", "path", "subject", "cost", "opened_at", "response", "responded_at", "outcome", "refunded_at"];

    /// <summary>The columns of <see cref="LedgerRowsAsync"/>.</summary>
    public static readonly IReadOnlyList<string> LedgerColumns =
        ["wallet", "entry", "at", "kind", "source", "delta", "lot", "lot_expires", "message", "member", "note"];

    /// <summary>The InMails (paid and open-profile) <paramref name="member"/> sent with from ≤ sent &lt; to, oldest first.</summary>
    public IAsyncEnumerable<object?[]> SentInMailsAsync(string member, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StreamAsync($"""
            SELECT m.id, m.sent_at, m.to_id, o.name, m.path, m.subject, CASE WHEN m.charged_lot_no IS NULL THEN 0 ELSE 1 END,
                   m.read_at, m.response, m.responded_at, m.outcome, m.refunded_at
            FROM messages m LEFT JOIN members o ON o.id = m.to_id
            WHERE m.from_id = {Parameter(0)} AND m.path IN ('inmail', 'open-profile') AND m.sent_at >= {Parameter(1)} AND m.sent_at < {Parameter(2)}
            ORDER BY m.sent_at, m.id
            """, [member, from.ToUniversalTime(), to.ToUniversalTime()], [1, 7, 9, 11], cancellationToken);

    /// <summary>
    /// Ledger entries with from ≤ at &lt; to, in time order: one member's own wallet, or with
    /// <paramref name="member"/> null every wallet (the operator's export of a period).
    /// </summary>
    public IAsyncEnumerable<object?[]> LedgerRowsAsync(string? member, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        StreamAsync($"""
            SELECT wallet_kind || ':' || wallet_id, entry_no, at, kind, source, delta, lot_no, lot_expires, message_id, member_id, note
            FROM ledger_entries
            WHERE at >= {Parameter(0)} AND at < {Parameter(1)}{(member is null ? "" : $" AND wallet_kind = 'member' AND wallet_id = {Parameter(2)}")}
            ORDER BY at, wallet_kind, wallet_id, entry_no
            """, member is null ? [from.ToUniversalTime(), to.ToUniversalTime()] : [from.ToUniversalTime(), to.ToUniversalTime(), member], [2, 7], cancellationToken);

    /// <summary>Reads rows one at a time; the columns at <paramref name="instants"/> are instants, as this database stores them.</summary>
    private async IAsyncEnumerable<object?[]> StreamAsync(string sql, object?[] parameters, int[] instants, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = _backend.Open();
        await using var command = connection.CreateCommand();
        Bind(command, sql, parameters);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : instants.Contains(i) ? _backend.ReadInstant(reader, i) : reader.GetValue(i);
            }
            yield return row;
        }
    }
}
