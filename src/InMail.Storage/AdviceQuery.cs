using System.Data.Common;
using InMail.Domain;
using InMail.Domain.Advice;

namespace InMail.Storage;

/// <summary>
/// SPEC §12 from the database: the member's pattern is read from the <c>messages</c> table a row at a
/// time (index <c>messages_facts</c>) into compact facts, and replayed by the domain's
/// <see cref="PlanAdvisor"/> on scratch engines. Nothing is written: the member's account is untouched.
/// </summary>
public sealed partial class CommandStore
{
    /// <summary>The period the advisor looks at when none is given (SPEC §12: the last 365 days).</summary>
    public const int AdviceDefaultDays = 365;

    /// <summary>
    /// The advice for <paramref name="member"/> over from ≤ sent &lt; to; to defaults to now and from to
    /// 365 days before to. <c>invalid-input</c> when from ≥ to, <c>unknown-member</c> for no such member.
    /// </summary>
    public async Task<Outcome<PlanAdvice>> AdviseAsync(string member, DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        var (known, now) = await ReadAsync((e, now) => (e.State.FindMember(member) is not null, now), cancellationToken).ConfigureAwait(false);
        var end = to ?? now;
        var start = from ?? end - TimeSpan.FromDays(AdviceDefaultDays);
        if (start >= end)
        {
            return Refuse.With(RefusalCode.InvalidInput, "from must be earlier than to.");
        }
        if (!known)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{member}'.");
        }
        var pattern = await AdvicePatternAsync(member, start, end, cancellationToken).ConfigureAwait(false);
        return new PlanAdvisor(_catalog).Advise(start, end, pattern);
    }

    /// <summary>
    /// The InMails (paid and open-profile) <paramref name="member"/> sent with from ≤ sent &lt; to, oldest
    /// first, as facts: recipients become small numbers (the same for the same recipient), nothing else
    /// of the rows is kept.
    /// </summary>
    public async Task<IReadOnlyList<SentInMail>> AdvicePatternAsync(string member, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        var sql = $"""
            SELECT m.sent_at, m.to_id, m.path, m.responded_at
            FROM messages m
            WHERE m.from_id = {Parameter(0)} AND m.sent_at >= {Parameter(1)} AND m.sent_at < {Parameter(2)} AND m.path IN ('inmail', 'open-profile')
            ORDER BY m.sent_at, m.id
            """;
        var facts = new List<SentInMail>();
        var recipients = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var connection = _backend.Open();
        await using var command = connection.CreateCommand();
        Bind(command, sql, [member, from.ToUniversalTime(), to.ToUniversalTime()]);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var recipient = reader.GetString(1);
            if (!recipients.TryGetValue(recipient, out var key))
            {
                recipients.Add(recipient, key = recipients.Count);
            }
            facts.Add(new SentInMail(
                _backend.ReadInstant(reader, 0),
                key,
                reader.GetString(2) == "open-profile",
                reader.IsDBNull(3) ? null : _backend.ReadInstant(reader, 3)));
        }
        return facts;
    }
}
