using System.Data.Common;
using InMail.Domain;
using InMail.Domain.Content;
using InMail.Domain.Messaging;
using InMail.Domain.Outreach;

namespace InMail.Storage;

/// <summary>A member's outreach measures and the charts of the Results page, over the InMails sent in a period.</summary>
/// <param name="Now">The instant they were read at.</param>
/// <param name="Report">SPEC §9's measures: all, by path, by body length.</param>
/// <param name="Charts">The charts' series (decision 014).</param>
public sealed record OutreachHistory(DateTimeOffset Now, OutreachReport Report, OutreachCharts Charts);

/// <summary>
/// SPEC §9 and the Results charts from the tables (decision 014): the facts of a member's sent InMails stream from
/// <c>messages</c> (index <c>messages_facts</c>, kept between reads: decision 016) with the recipient's time zone, and expired credits from
/// <c>ledger_entries</c>; the engine is asked only what a credit costs the member now. A member with a hundred
/// thousand InMails is a hundred thousand small facts, never their conversations.
/// </summary>
public sealed partial class CommandStore
{
    /// <summary>The measures and charts of the InMails <paramref name="member"/> sent with from ≤ sent &lt; to (either bound may be null).</summary>
    public Task<Outcome<OutreachHistory>> OutreachAsync(string member, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default) =>
        OutreachAsync(member, _ => (from, to), cancellationToken);

    /// <summary>Like the other overload, with the period worked out from the instant of the read (the last 30 days: now − 30 days).</summary>
    public async Task<Outcome<OutreachHistory>> OutreachAsync(string member, Func<DateTimeOffset, (DateTimeOffset? From, DateTimeOffset? To)> period,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        DateTimeOffset? from = null, to = null;
        var basis = await ReadAsync((e, now) =>
        {
            (from, to) = period(now);
            return (Now: now, Price: e.OutreachPrice(now, member, from, to), e.Catalog.Policy.RefundWindowDays);
        }, cancellationToken).ConfigureAwait(false);
        if (!basis.Price.IsSuccess)
        {
            return basis.Price.Refusal;
        }
        var facts = await OutreachFactsAsync(member, from, to, cancellationToken).ConfigureAwait(false);
        var expired = await CreditExpiriesAsync(member, from, to, cancellationToken).ConfigureAwait(false);
        return new OutreachHistory(basis.Now,
            OutreachReport.Of(member, from, to, basis.Price.Value, facts),
            OutreachCharts.Of(facts, expired, basis.RefundWindowDays));
    }

    /// <summary>The facts of the InMails (paid and open-profile) <paramref name="member"/> sent with from ≤ sent &lt; to, oldest first.</summary>
    /// <remarks>
    /// Kept between reads (decision 016): only the pairs whose conversation (or recipient) changed since the last read
    /// are read again. The index <c>messages_facts</c> holds every column read here.
    /// </remarks>
    public async Task<IReadOnlyList<InMailFact>> OutreachFactsAsync(string member, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        var all = await _outreachFacts.GetAsync(member, (pairs, ct) => ReadFactsAsync(member, pairs, ct), cancellationToken).ConfigureAwait(false);
        var start = from is { } f ? FirstSentAtOrAfter(all, f) : 0;
        var end = to is { } t ? FirstSentAtOrAfter(all, t) : all.Length;
        return new ArraySegment<InMailFact>(all, start, Math.Max(0, end - start));
    }

    /// <summary>The index of the first of <paramref name="sorted"/> sent at or after <paramref name="at"/> (its length if none).</summary>
    private static int FirstSentAtOrAfter(InMailFact[] sorted, DateTimeOffset at)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sorted[mid].SentAt < at)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }
        return lo;
    }

    /// <summary>Reads the facts of <paramref name="member"/>'s InMails to <paramref name="recipients"/> (null: to anyone), with each recipient.</summary>
    private async Task<List<(string To, InMailFact Fact)>> ReadFactsAsync(string member, IReadOnlyCollection<string>? recipients, CancellationToken cancellationToken)
    {
        var facts = new List<(string, InMailFact)>();
        var zones = new Dictionary<string, string>(StringComparer.Ordinal); // one string per zone, not one per row
        var ids = new Dictionary<string, string>(StringComparer.Ordinal); // and one per recipient
        await using var connection = _backend.Open();
        foreach (var chunk in recipients is null ? new string[]?[] { null } : recipients.Chunk(500).Select(c => (string[]?)c))
        {
            await using var command = connection.CreateCommand();
            // A pair's rows are found by the conversation's index (member_a, member_b): the pair's ids in ordinal order.
            var among = chunk is null ? "" : $"""
                AND ((m.member_a = {Parameter(0)} AND m.member_b IN ({Parameters(chunk, 1, to => string.CompareOrdinal(member, to) <= 0)}))
                  OR (m.member_b = {Parameter(0)} AND m.member_a IN ({Parameters(chunk, 1, to => string.CompareOrdinal(member, to) > 0)})))
                """;
            Bind(command, $"""
                SELECT m.path, m.sent_at, m.read_at, m.responded_at, m.response, m.refunded_at, m.outcome, m.charged_wallet_kind,
                       CASE WHEN m.body_chars IS NULL THEN m.body END, r.time_zone, m.body_chars, m.to_id
                FROM messages m LEFT JOIN members r ON r.id = m.to_id
                WHERE m.from_id = {Parameter(0)} AND m.path IN ('inmail', 'open-profile') {among}
                """, [member, .. chunk ?? []]);
            await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!MessagingNames.TryParsePath(reader.GetString(0), out var path))
                {
                    throw new InvalidOperationException($"messages holds an unknown path '{reader.GetString(0)}'.");
                }
                ResponseKind? response = reader.IsDBNull(4) ? null
                    : MessagingNames.TryParseResponse(reader.GetString(4), out var kind) ? kind
                    : throw new InvalidOperationException($"messages holds an unknown response '{reader.GetString(4)}'.");
                SenderMark? mark = null;
                if (!reader.IsDBNull(6) && !MessagingNames.TryParseMark(reader.GetString(6), out mark))
                {
                    throw new InvalidOperationException($"messages holds an unknown outcome '{reader.GetString(6)}'.");
                }
                var zone = reader.IsDBNull(9) ? null : Shared(zones, reader.GetString(9));
                facts.Add((Shared(ids, reader.GetString(11)), new InMailFact(path, Instant(reader, 1)!.Value, Instant(reader, 2), Instant(reader, 3), response,
                    Instant(reader, 5), mark, !reader.IsDBNull(7),
                    reader.IsDBNull(10) ? TextRules.Length(reader.GetString(8)) : checked((int)Convert.ToInt64(reader.GetValue(10), System.Globalization.CultureInfo.InvariantCulture)),
                    zone)));
            }
        }
        return facts;
    }

    /// <summary>The markers of the values of <paramref name="values"/> (bound from <paramref name="first"/> on) that <paramref name="which"/> picks; NULL if none.</summary>
    private string Parameters(string[] values, int first, Func<string, bool> which)
    {
        var picked = values.Select((v, i) => (v, i)).Where(p => which(p.v)).Select(p => Parameter(first + p.i)).ToList();
        return picked.Count == 0 ? "NULL" : string.Join(", ", picked);
    }

    private static string Shared(Dictionary<string, string> seen, string text)
    {
        if (!seen.TryGetValue(text, out var kept))
        {
            seen.Add(text, kept = text);
        }
        return kept;
    }

    /// <summary>Credits that expired unspent in <paramref name="member"/>'s own wallet with from ≤ at &lt; to, in time order.</summary>
    public async Task<List<CreditExpiry>> CreditExpiriesAsync(string member, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        var start = (from ?? DateTimeOffset.UnixEpoch).ToUniversalTime();
        var end = (to ?? EndOfTime).ToUniversalTime();
        return await QueryAsync($"""
            SELECT at, -delta FROM ledger_entries
            WHERE wallet_kind = 'member' AND wallet_id = {Parameter(0)} AND kind = 'expire' AND at >= {Parameter(1)} AND at < {Parameter(2)}
            ORDER BY at, entry_no
            """, [member, start, end], r =>
        {
            var list = new List<CreditExpiry>();
            while (r.Read())
            {
                list.Add(new CreditExpiry(_backend.ReadInstant(r, 0), checked((int)Convert.ToInt64(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture))));
            }
            return list;
        }, cancellationToken).ConfigureAwait(false);
    }

    // Later than any instant the system stores, and one both databases hold as a plain timestamp.
    private static readonly DateTimeOffset EndOfTime = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private DateTimeOffset? Instant(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : _backend.ReadInstant(reader, ordinal);
}
