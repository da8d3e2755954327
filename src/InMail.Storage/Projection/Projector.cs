using InMail.Domain;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Storage.Projection;

/// <summary>
/// Turns the engine's state into rows of the projection tables (decision 003) and remembers what it
/// last wrote, so that after a command only the rows that changed are written. The engine stays
/// the source of truth; the tables are what operators, reports and backups read. A process that
/// applies another process's commands calls <see cref="Sync"/> without emitting: those rows are
/// already in the database, and the cache must only learn them.
/// </summary>
public sealed class Projector
{
    private readonly Dictionary<Table, Dictionary<string, object?[]>> _rows = [];
    private readonly Dictionary<(Table, string), Dictionary<string, object?[]>> _sets = [];
    private readonly Dictionary<WalletId, WalletCache> _wallets = [];
    private readonly Dictionary<MemberPair, Dictionary<string, MessageState>> _messages = [];

    /// <summary>Brings the cache up to date for <paramref name="scopes"/>; with <paramref name="output"/>, adds the writes that the database needs.</summary>
    public void Sync(InMailState state, Scopes scopes, List<Write>? output)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(scopes);
        foreach (var (id, network) in scopes.Members)
        {
            if (state.FindMember(id) is { } member)
            {
                Member(state, member, network, output);
            }
        }
        foreach (var id in scopes.Teams)
        {
            if (state.FindTeam(id) is { } team)
            {
                Team(team, output);
            }
        }
        foreach (var id in scopes.Groups)
        {
            if (state.FindGroup(id) is { } group)
            {
                Row(Tables.Groups, [group.Id, group.Name], output);
            }
        }
        foreach (var pair in scopes.Conversations)
        {
            if (state.FindConversation(pair.A, pair.B) is { } conversation)
            {
                Conversation(conversation, output);
            }
        }
        foreach (var (actor, key) in scopes.IdempotencyKeys)
        {
            if (state.FindIdempotencyRecord(actor, key) is { } record)
            {
                Row(Tables.IdempotencyKeys, [actor, key, record.Fingerprint, Utc(record.At), record.Result.GetType().Name], output);
            }
        }
    }

    /// <summary>
    /// Learns one aggregate just loaded from its document (decision 007), writing nothing: the tables
    /// hold what the document holds. Only that aggregate: a neighbour in memory may have changes this
    /// batch has yet to write.
    /// </summary>
    public void Prime(InMailState state, Domain.WorkingSet.AggregateKey key)
    {
        ArgumentNullException.ThrowIfNull(state);
        switch (key.Kind)
        {
            case Domain.WorkingSet.AggregateKind.Member when state.FindMember(key.Id) is { } member:
                Member(state, member, network: true, output: null);
                break;
            case Domain.WorkingSet.AggregateKind.Team when state.FindTeam(key.Id) is { } team:
                Team(team, output: null);
                break;
            case Domain.WorkingSet.AggregateKind.Group when state.FindGroup(key.Id) is { } group:
                Row(Tables.Groups, [group.Id, group.Name], output: null);
                break;
            case Domain.WorkingSet.AggregateKind.Conversation when state.FindConversation(key.Pair) is { } conversation:
                Conversation(conversation, output: null);
                break;
            default:
                break;
        }
    }

    private void Member(InMailState state, Domain.Network.Member m, bool network, List<Write>? output)
    {
        var p = m.Profile;
        Row(Tables.Members,
            [m.Id, p.Name, p.Headline, p.Company, p.TimeZone, Utc(m.JoinedAt), m.OpenProfile, m.InMailEnabled, m.GroupMessagesEnabled, m.TeamId, Utc(m.RestrictedUntil)],
            output);
        Subscription("member", m.Id, m.Subscription, output);
        Wallet(m.Wallet, output);
        Set(Tables.ScheduledSends, m.Id, m.Schedules.Values.Select(x => new object?[]
            { m.Id, x.Id, x.Draft.To, Utc(x.DueAt), Utc(x.CreatedAt), Domain.Outreach.ScheduleNames.ToName(x.Status), x.MessageId, x.Code }), output);
        Set(Tables.MemberLabels, m.Id, m.Labels.Select(l => new object?[] { m.Id, l.Id, l.Name }), output);
        Set(Tables.SequenceEnrollments, m.Id, m.Sequences.Values.SelectMany(q => q.Enrollments).Select(e => new object?[]
            { m.Id, e.Sequence.Id, e.Ordinal, e.To, Utc(e.EnrolledAt), e.Variant?.ToString(), Domain.Outreach.EnrollmentNames.ToName(e.Status), e.StepsSent, Utc(e.NextDueAt), e.Reason }), output);
        if (!network)
        {
            return;
        }
        Set(Tables.Connections, m.Id, m.Connections.Select(c => new object?[] { m.Id, c }), output);
        Set(Tables.Blocks, m.Id, m.Blocked.Select(b => new object?[] { m.Id, b }), output);
        Set(Tables.GroupMembers, m.Id, m.Groups.Select(g => new object?[] { g, m.Id }), output);
        Set(Tables.Invitations, m.Id, state.InvitationsFrom(m.Id).Select(i => new object?[] { i.From, i.To, i.Note, Utc(i.SentAt) }), output);
    }

    private void Team(Team t, List<Write>? output)
    {
        Row(Tables.Teams, [t.Id, t.Admin, t.SeatCap, t.UsageCycle, Utc(t.EndedAt)], output);
        Set(Tables.TeamSeats, t.Id, t.Seats.Select((s, i) => new object?[] { t.Id, s, i }), output);
        Set(Tables.TeamSeatOffers, t.Id, t.Offers.Select(o => new object?[] { t.Id, o.Member, Utc(o.OfferedAt) }), output);
        Subscription("team", t.Id, t.Subscription, output);
        Wallet(t.Pool, output);
    }

    private void Subscription(string kind, string owner, Subscription? s, List<Write>? output)
    {
        if (s is null)
        {
            Remove(Tables.Subscriptions, [kind, owner], output);
            return;
        }
        Row(Tables.Subscriptions, [kind, owner, s.Plan.Id, Lower(s.Billing), Utc(s.Anchor), s.NextCycle, Utc(s.EndsAt)], output);
    }

    private void Wallet(Wallet wallet, List<Write>? output)
    {
        if (!_wallets.TryGetValue(wallet.Id, out var cache))
        {
            cache = new WalletCache();
            _wallets.Add(wallet.Id, cache);
        }
        // Only entries not yet stored are in memory (decision 007); of those, write the ones not yet written.
        var pending = wallet.PendingEntries;
        var from = pending.Count;
        while (from > 0 && pending[from - 1].Sequence > cache.LastWritten)
        {
            from--;
        }
        for (var i = from; i < pending.Count; i++)
        {
            output?.Add(new Write(Tables.Ledger, WriteKind.Append, LedgerRow(pending[i])));
        }
        if (pending.Count > 0)
        {
            cache.LastWritten = Math.Max(cache.LastWritten, pending[^1].Sequence);
        }

        // The lots in memory are the live ones and those that ended since the wallet was stored; a lot
        // that has ended never changes again, so one no longer in memory was written when it ended.
        cache.Scratch.Clear();
        foreach (var lot in wallet.LotsInMemory)
        {
            cache.Scratch.Add(lot.Id);
            var row = LotRow(lot);
            if (!cache.Open.TryGetValue(lot.Id, out var before) || !Same(before, row))
            {
                output?.Add(new Write(Tables.Lots, WriteKind.Upsert, row));
            }
            if (lot.End == LotEnd.Live)
            {
                cache.Open[lot.Id] = row;
            }
            else
            {
                cache.Open.Remove(lot.Id);
            }
        }
        foreach (var id in cache.Open.Keys.Where(id => !cache.Scratch.Contains(id)).ToList())
        {
            cache.Open.Remove(id);
        }
    }

    /// <summary>The <c>ledger_entries</c> row of an entry.</summary>
    public static object?[] LedgerRow(LedgerEntry e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var (kind, owner) = WalletKey(e.Wallet);
        return [kind, owner, e.Sequence, Utc(e.At), e.LotId, Lower(e.Source), e.Kind.ToName(), e.Delta, Utc(e.LotExpires), e.MessageId, e.Member, e.Note];
    }

    /// <summary>The <c>lots</c> row of a lot.</summary>
    public static object?[] LotRow(Lot lot)
    {
        ArgumentNullException.ThrowIfNull(lot);
        var (kind, owner) = WalletKey(lot.Wallet);
        return [kind, owner, lot.Id, Lower(lot.Source), lot.Granted, Utc(lot.GrantedAt), Utc(lot.Expires), lot.Remaining, Lower(lot.End), Utc(lot.EndedAt)];
    }

    private static IEnumerable<object?[]> Timers(Conversation c, string member)
    {
        var other = c.Pair.Other(member);
        if (c.SnoozedUntil(member) is { } until)
        {
            yield return [member, other, Domain.TimerKinds.Snooze, Utc(until), Utc(until)];
        }
        if (c.ReminderFor(member) is { } reminder)
        {
            yield return [member, other, Domain.TimerKinds.Reminder, Utc(reminder.At), Utc(reminder.SetAt)];
        }
    }

    private void Conversation(Conversation c, List<Write>? output)
    {
        var (a, b) = (c.Pair.A, c.Pair.B);
        Row(Tables.Conversations, [a, b, Utc(c.LastActivityAt), c.IsArchivedFor(a), c.IsArchivedFor(b), Utc(c.ActivityFor(a)), Utc(c.ActivityFor(b)),
            Utc(c.SnoozedUntil(a)), Utc(c.SnoozedUntil(b)), c.IsMarkedUnreadFor(a), c.IsMarkedUnreadFor(b)], output);
        Set(Tables.ConversationTimers, $"{a}\u001f{b}", Timers(c, a).Concat(Timers(c, b)), output);
        Set(Tables.ConversationLabels, $"{a}\u001f{b}",
            c.LabelIdsFor(a).Select(id => new object?[] { a, id, b }).Concat(c.LabelIdsFor(b).Select(id => new object?[] { b, id, a })), output);
        if (!_messages.TryGetValue(c.Pair, out var cache))
        {
            cache = new Dictionary<string, MessageState>(StringComparer.Ordinal);
            _messages.Add(c.Pair, cache);
        }
        var messages = c.Messages;
        for (var i = 0; i < messages.Count; i++)
        {
            // What is sent never changes; only whether it was read, answered, refunded, marked. Compare that.
            var m = messages[i];
            var state = new MessageState(m.ReadAt, m.Response, m.RespondedAt, m.RefundedAt, m.Mark);
            var known = cache.TryGetValue(m.Id, out var before);
            if (!known)
            {
                for (var f = 0; f < m.Attachments.Count; f++)
                {
                    var file = m.Attachments[f];
                    output?.Add(new Write(Tables.MessageAttachments, WriteKind.Upsert, [m.Id, f + 1, file.Id, file.Name, file.Size, file.Type]));
                }
            }
            if (!known || before != state)
            {
                var charge = m.Charge;
                output?.Add(new Write(Tables.Messages, WriteKind.Upsert,
                [
                    m.Id, a, b, i, m.From, m.To, m.Path.ToName(), m.Subject, m.Body, Utc(m.SentAt),
                    charge is null ? null : WalletKey(charge.Wallet).Kind, charge?.Wallet.Id, charge?.LotId,
                    m.RespondsWith?.ToName(), Utc(m.ReadAt), m.Response?.ToName(), Utc(m.RespondedAt), Utc(m.RefundedAt),
                    m.Mark?.ToName(), m.Template, Domain.Content.TextRules.Length(m.Body),
                ]));
                cache[m.Id] = state;
            }
            if (m.ReportedSpamAt is { } reported && _reported.Add(m.Id))
            {
                output?.Add(new Write(Tables.SpamReports, WriteKind.Append, [m.Id, m.To, m.From, Utc(reported)]));
            }
        }
    }

    private readonly record struct MessageState(DateTimeOffset? ReadAt, ResponseKind? Response, DateTimeOffset? RespondedAt, DateTimeOffset? RefundedAt, SenderMark? Mark);

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    private void Row(Table table, object?[] row, List<Write>? output)
    {
        var rows = RowsOf(table);
        var key = Key(table, row);
        if (rows.TryGetValue(key, out var before) && Same(before, row))
        {
            return;
        }
        rows[key] = row;
        output?.Add(new Write(table, WriteKind.Upsert, row));
    }

    private void Remove(Table table, object?[] key, List<Write>? output)
    {
        if (RowsOf(table).Remove(Key(table, key)))
        {
            output?.Add(new Write(table, WriteKind.Delete, key));
        }
    }

    /// <summary>Makes the rows of <paramref name="table"/> that belong to <paramref name="scope"/> exactly <paramref name="current"/>.</summary>
    private void Set(Table table, string scope, IEnumerable<object?[]> current, List<Write>? output)
    {
        if (!_sets.TryGetValue((table, scope), out var before))
        {
            before = new Dictionary<string, object?[]>(StringComparer.Ordinal);
            _sets.Add((table, scope), before);
        }
        var now = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var row in current)
        {
            var key = Key(table, row);
            now[key] = row;
            if (!before.TryGetValue(key, out var old) || !Same(old, row))
            {
                output?.Add(new Write(table, WriteKind.Upsert, row));
            }
        }
        foreach (var (key, old) in before)
        {
            if (!now.ContainsKey(key))
            {
                output?.Add(new Write(table, WriteKind.Delete, old[..table.Keys.Count]));
            }
        }
        _sets[(table, scope)] = now;
    }

    private Dictionary<string, object?[]> RowsOf(Table table)
    {
        if (!_rows.TryGetValue(table, out var rows))
        {
            rows = new Dictionary<string, object?[]>(StringComparer.Ordinal);
            _rows.Add(table, rows);
        }
        return rows;
    }

    private static string Key(Table table, object?[] row) =>
        table.Keys.Count == 1 ? Convert.ToString(row[0], System.Globalization.CultureInfo.InvariantCulture)! : string.Join('\u001f', row.Take(table.Keys.Count));

    private static bool Same(object?[] a, object?[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }
        for (var i = 0; i < a.Length; i++)
        {
            if (!Equals(a[i], b[i]))
            {
                return false;
            }
        }
        return true;
    }

    internal static (string Kind, string Owner) WalletKey(WalletId id) => (id.Owner == WalletOwner.Member ? "member" : "team", id.Id);

    private static DateTimeOffset Utc(DateTimeOffset t) => t.ToUniversalTime();

    /// <summary><c>value.ToString().ToLowerInvariant()</c>, computed once per value: a send writes several.</summary>
    private static string Lower<T>(T value)
        where T : struct, Enum => LowerNames<T>.Of.TryGetValue(value, out var name) ? name : value.ToString().ToLowerInvariant();

    private static class LowerNames<T>
        where T : struct, Enum
    {
        public static readonly Dictionary<T, string> Of = Enum.GetValues<T>().Distinct().ToDictionary(v => v, v => v.ToString().ToLowerInvariant());
    }

    private static DateTimeOffset? Utc(DateTimeOffset? t) => t?.ToUniversalTime();

    private sealed class WalletCache
    {
        public long LastWritten { get; set; }
        public Dictionary<long, object?[]> Open { get; } = [];
        public List<long> Scratch { get; } = [];
    }
}
