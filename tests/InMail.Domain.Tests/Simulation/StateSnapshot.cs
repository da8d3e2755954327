using System.Globalization;
using System.Text;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain.Tests.Simulation;

/// <summary>
/// A canonical text of the whole state: members (plan, settings, connections, blocks, groups,
/// activity logs), groups, teams, invitations and withdrawals, idempotency records, wallets (every
/// lot and every ledger entry), conversations and their messages (read, responded, refunded and
/// reported fields included). A snapshot is a list of blocks of lines; two states are the same
/// exactly when their lines are.
/// <para>
/// A simulation takes one after every step, on a state of thousands of messages and ledger
/// entries, so lines are cached and rebuilt only when what they show changed: a message when one
/// of its mutable fields did, a lot when its remaining credits or end did, a ledger when it grew (it
/// is append-only), a member, team or list when a key of its fields did (sets are keyed by size and
/// the sum of their elements' hash codes). An unchanged block is the same array instance, so
/// comparing two snapshots is mostly reference comparisons.
/// </para>
/// </summary>
internal sealed class Snapshotter
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly Dictionary<string, Keyed<MemberKey>> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Keyed<(string Admin, string Seats, int? SeatCap, int UsageCycle, DateTimeOffset? EndedAt, int NextCycle, DateTimeOffset? EndsAt)>> _teams = new(StringComparer.Ordinal);
    private readonly Dictionary<WalletId, WalletBlocks> _wallets = [];
    private readonly Dictionary<MemberPair, ConversationBlocks> _conversations = [];
    private readonly Keyed<(int Count, long Sum)> _groups = new();
    private readonly Keyed<(int Count, long Sum)> _invitations = new();
    private readonly Keyed<(int Count, long Sum)> _withdrawals = new();
    private readonly Keyed<int> _messageIndex = new();
    private readonly Sequence<IdempotencyRecord> _idempotency = new();
    private readonly List<Member> _memberOrder = [];
    private readonly List<string> _memberIds = [];
    private readonly List<Team> _teamOrder = [];
    private readonly List<Wallet> _walletOrder = [];
    private readonly List<WalletBlocks> _walletCaches = [];
    private readonly List<Conversation> _conversationOrder = [];
    private readonly List<ConversationBlocks> _conversationCaches = [];
    private readonly Dictionary<MemberPair, int> _conversationIndex = [];
    private readonly List<string[]> _conversationBlocks = [];
    private readonly StringBuilder _sb = new();

    private bool _full = true;
    private MemberPair[] _touched = [];

    /// <summary>Conversations whose lines changed in the last snapshot (all of them the first time).</summary>
    public List<Conversation> ChangedConversations { get; } = [];

    /// <summary>
    /// What a full rescan found changed although no step accounted for it (a conversation's messages
    /// changed while neither its header changed nor a step named its members, or an ended lot changed).
    /// </summary>
    public List<string> UnaccountedChanges { get; } = [];

    /// <summary>Takes a snapshot into a new list.</summary>
    public List<string[]> Take(InMailState state)
    {
        var blocks = new List<string[]>();
        Take(state, blocks, [], full: true);
        return blocks;
    }

    /// <summary>Writes the snapshot's blocks into <paramref name="blocks"/> (cleared first), so a buffer can be reused.</summary>
    /// <param name="state">The state.</param>
    /// <param name="blocks">Where the blocks go.</param>
    /// <param name="touched">
    /// The conversations (pairs of members) the last step may have written to or marked. A
    /// conversation changes only through a step on it (the engine's inbox cap, which archives
    /// others, needs 500 conversations per member), so unless <paramref name="full"/> only those
    /// are rescanned. Likewise an ended lot never changes, and a wallet's lots change only with a
    /// ledger entry or a change of its live list.
    /// </param>
    /// <param name="full">Rescan everything; what changed although nothing accounted for it goes to <see cref="UnaccountedChanges"/>.</param>
    public void Take(InMailState state, List<string[]> blocks, MemberPair[] touched, bool full)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(touched);
        blocks.Clear();
        ChangedConversations.Clear();
        UnaccountedChanges.Clear();
        _full = full;
        _touched = touched;
        // Members, teams (with their pools) and conversations are never removed: their canonical
        // order changes only when one is added.
        if (_memberOrder.Count != state.MemberIndex.Count)
        {
            _memberOrder.Clear();
            _memberOrder.AddRange(state.MemberIndex.Values.OrderBy(m => m.Id, StringComparer.Ordinal));
            _memberIds.Clear();
            _memberIds.AddRange(_memberOrder.Select(m => m.Id));
        }
        foreach (var member in _memberOrder)
        {
            blocks.Add(MemberLine(state, member));
        }
        blocks.Add(Groups(state));
        if (_teamOrder.Count != state.TeamIndex.Count)
        {
            _teamOrder.Clear();
            _teamOrder.AddRange(state.TeamIndex.Values.OrderBy(t => t.Id, StringComparer.Ordinal));
        }
        foreach (var team in _teamOrder)
        {
            blocks.Add(TeamLine(team));
        }
        blocks.Add(Invitations(state));
        blocks.Add(Withdrawals(state));
        blocks.Add(Idempotency(state));
        if (_walletOrder.Count != state.MemberIndex.Count + state.TeamIndex.Count)
        {
            _walletOrder.Clear();
            _walletOrder.AddRange(state.Wallets.OrderBy(w => w.Id.ToString(), StringComparer.Ordinal));
            _walletCaches.Clear();
            foreach (var wallet in _walletOrder)
            {
                if (!_wallets.TryGetValue(wallet.Id, out var cache))
                {
                    _wallets[wallet.Id] = cache = new WalletBlocks(wallet.Id);
                }
                _walletCaches.Add(cache);
            }
        }
        for (var i = 0; i < _walletOrder.Count; i++)
        {
            AddWallet(_walletOrder[i], _walletCaches[i], blocks);
        }
        AddConversations(state, blocks);
        blocks.Add(_messageIndex.Get(state.MessageIndex.Count, () => [string.Create(Inv, $"message-index count={state.MessageIndex.Count}")]));
    }

    /// <summary>The first line where two snapshots differ, described for a failure message; null when equal.</summary>
    public static string? FirstDifference(IReadOnlyList<string[]> before, IReadOnlyList<string[]> after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Count == after.Count)
        {
            // The common case, cheap: the same blocks, by reference or by content.
            var same = true;
            for (var i = 0; i < before.Count && same; i++)
            {
                same = ReferenceEquals(before[i], after[i]) || before[i].AsSpan().SequenceEqual(after[i]);
            }
            if (same)
            {
                return null;
            }
        }
        var (b, a) = (Lines(before).ToList(), Lines(after).ToList());
        for (var i = 0; i < Math.Max(a.Count, b.Count); i++)
        {
            var (x, y) = (i < b.Count ? b[i] : null, i < a.Count ? a[i] : null);
            if (!string.Equals(x, y, StringComparison.Ordinal))
            {
                return $"line {i} changed ({b.Count} lines before, {a.Count} after):\n      before: {x ?? "(nothing)"}\n      after:  {y ?? "(nothing)"}";
            }
        }
        return null;
    }

    /// <summary>The lines of a snapshot, in order.</summary>
    public static IEnumerable<string> Lines(IReadOnlyList<string[]> blocks) => blocks.SelectMany(b => b);

    /// <summary>The whole text of a snapshot, for comparing runs.</summary>
    public static string Text(IReadOnlyList<string[]> blocks) => string.Join('\n', Lines(blocks));

    // ---------------------------------------------------------------- caches

    /// <summary>A block rebuilt only when its key (the values it shows, or a summary of them) changes.</summary>
    private sealed class Keyed<TKey>
    {
        private TKey? _key;
        private string[]? _lines;

        public bool TryGet(TKey key, out string[] lines)
        {
            lines = _lines!;
            return _lines is not null && EqualityComparer<TKey>.Default.Equals(key, _key);
        }

        public string[] Set(TKey key, string[] lines)
        {
            (_key, _lines) = (key, lines);
            return lines;
        }

        public string[] Get(TKey key, Func<string[]> build) => TryGet(key, out var lines) ? lines : Set(key, build());
    }

    /// <summary>Everything a member's line shows, exactly, except sets (by size and the sum of their elements' hash codes).</summary>
    private readonly record struct MemberKey(
        Profile Profile,
        (bool OpenProfile, bool InMail, bool GroupMessages, string? TeamId, DateTimeOffset? RestrictedUntil) Settings,
        (Subscription? Subscription, int? NextCycle, DateTimeOffset? EndsAt) Plan,
        ((int, long) Connections, (int, long) Blocked, (int, long) Groups) Sets,
        ((int, long, long) Sent, (int, long, long) Received, (int, long, long) Invitations, (int, long, long) Spam) Logs,
        (int, int, int, int) Months,
        (int Active, int All) Conversations);

    /// <summary>
    /// The lines of a sequence of items, cached by position: a line is rebuilt when the item at its
    /// position, or the numbers that stand for its mutable state, changed; the block (a new array)
    /// only when a line did.
    /// </summary>
    private sealed class Sequence<TItem>
        where TItem : class
    {
        private readonly List<Slot> _slots = [];
        private string[] _block = [];
        private int _index;
        private bool _dirty = true;

        public bool Changed { get; private set; }

        public void Begin()
        {
            _index = 0;
            Changed = false;
        }

        /// <summary>True (and the sequence done) when the cache holds exactly these items by count, first and last: for append-only lists of immutable items.</summary>
        public bool Holds(IReadOnlyList<TItem> items)
        {
            var holds = _slots.Count == items.Count && (items.Count == 0 || (ReferenceEquals(_slots[0].Item, items[0]) && ReferenceEquals(_slots[^1].Item, items[^1])));
            if (holds)
            {
                _index = _slots.Count;
            }
            return holds;
        }

        public void Add(TItem item, long a, long b, long c, long d, long e, Func<TItem, string> line)
        {
            if (_index < _slots.Count)
            {
                var slot = _slots[_index];
                if (!ReferenceEquals(slot.Item, item) || slot.A != a || slot.B != b || slot.C != c || slot.D != d || slot.E != e)
                {
                    (slot.Item, slot.A, slot.B, slot.C, slot.D, slot.E, slot.Line) = (item, a, b, c, d, e, line(item));
                    _dirty = true;
                }
            }
            else
            {
                _slots.Add(new Slot { Item = item, A = a, B = b, C = c, D = d, E = e, Line = line(item) });
                _dirty = true;
            }
            _index++;
        }

        /// <summary>The block as it was last ended.</summary>
        public string[] Block => _block;

        /// <summary>Keeps the cached lines from the current position on, unchanged.</summary>
        public void KeepRest() => _index = _slots.Count;

        public string[] End()
        {
            if (_slots.Count > _index)
            {
                _slots.RemoveRange(_index, _slots.Count - _index);
                _dirty = true;
            }
            if (_dirty)
            {
                _block = new string[_slots.Count];
                for (var i = 0; i < _slots.Count; i++)
                {
                    _block[i] = _slots[i].Line;
                }
                _dirty = false;
                Changed = true;
            }
            return _block;
        }

        private sealed class Slot
        {
            public required TItem Item;
            public long A;
            public long B;
            public long C;
            public long D;
            public long E;
            public required string Line;
        }
    }

    // ---------------------------------------------------------------- members, groups, teams, network

    private string[] MemberLine(InMailState state, Member m)
    {
        var sub = m.Subscription;
        // The profile (a record) compares by value; the subscription by reference, with the fields of it that change.
        var key = new MemberKey(
            m.Profile,
            (m.OpenProfile, m.InMailEnabled, m.GroupMessagesEnabled, m.TeamId, m.RestrictedUntil),
            (sub, sub?.NextCycle, sub?.EndsAt),
            (SetKey(m.Connections), SetKey(m.Blocked), SetKey(m.Groups)),
            (LogKey(m.InMailsSent), LogKey(m.InMailsReceived), LogKey(m.InvitationsSent), LogKey(m.SpamReports)),
            (m.GroupMessagesSent.Month, m.GroupMessagesSent.CountInMonth, m.NotesSent.Month, m.NotesSent.CountInMonth),
            (state.ActiveConversationCount(m.Id), state.ConversationsOf(m.Id).Count));
        if (!_members.TryGetValue(m.Id, out var cache))
        {
            _members[m.Id] = cache = new();
        }
        if (cache.TryGet(key, out var cached))
        {
            return cached;
        }
        {
            var sb = _sb.Clear();
            sb.Append(Inv, $"member {m.Id} name={Q(m.Profile.Name)} headline={Q(m.Profile.Headline)} company={Q(m.Profile.Company)} tz={Q(m.Profile.TimeZone)} joined={T(m.JoinedAt)}");
            sb.Append(Inv, $" open-profile={m.OpenProfile} inmail={m.InMailEnabled} group-messages={m.GroupMessagesEnabled}");
            sb.Append(" plan=").Append(Sub(m.Subscription));
            sb.Append(" team=").Append(m.TeamId ?? "-");
            sb.Append(" restricted-until=").Append(T(m.RestrictedUntil));
            sb.Append(" connections=[").Append(Sorted(m.Connections)).Append(']');
            sb.Append(" blocked=[").Append(Sorted(m.Blocked)).Append(']');
            sb.Append(" groups=[").Append(Sorted(m.Groups)).Append(']');
            sb.Append(" inmails-sent=").Append(Log(m.InMailsSent));
            sb.Append(" inmails-received=").Append(Log(m.InMailsReceived));
            sb.Append(" invitations-sent=").Append(Log(m.InvitationsSent));
            sb.Append(" spam-reports=").Append(Log(m.SpamReports));
            sb.Append(Inv, $" group-messages-sent={m.GroupMessagesSent.Month}:{m.GroupMessagesSent.CountInMonth}");
            sb.Append(Inv, $" notes-sent={m.NotesSent.Month}:{m.NotesSent.CountInMonth}");
            sb.Append(Inv, $" active-conversations={state.ActiveConversationCount(m.Id)}");
            sb.Append(Inv, $" conversations={state.ConversationsOf(m.Id).Count}");
            return cache.Set(key, [sb.ToString()]);
        }
    }

    private string[] Groups(InMailState state)
    {
        long sum = 0;
        foreach (var group in state.GroupIndex.Values)
        {
            var (count, members) = SetKey(group.Members);
            sum = unchecked((sum * 31) + StringComparer.Ordinal.GetHashCode(group.Id) + (count * 7919L) + members);
        }
        return _groups.Get((state.GroupIndex.Count, sum), () => state.GroupIndex.Values
            .OrderBy(g => g.Id, StringComparer.Ordinal)
            .Select(g => string.Create(Inv, $"group {g.Id} '{g.Name}' members=[{Sorted(g.Members)}]"))
            .ToArray());
    }

    private string[] TeamLine(Team team)
    {
        var seats = string.Join(',', team.Seats.Select(seat => string.Create(Inv, $"{seat}:{team.PoolSpentThisCycle(seat)}")));
        var sub = team.Subscription;
        var key = (team.Admin, seats, team.SeatCap, team.UsageCycle, team.EndedAt, sub.NextCycle, sub.EndsAt);
        if (!_teams.TryGetValue(team.Id, out var cache))
        {
            _teams[team.Id] = cache = new();
        }
        if (cache.TryGet(key, out var cached))
        {
            return cached;
        }
        {
            var sb = _sb.Clear();
            sb.Append(Inv, $"team {team.Id} admin={team.Admin} plan={Sub(team.Subscription)} seats=[{string.Join(',', team.Seats)}]");
            sb.Append(Inv, $" seat-cap={team.SeatCap?.ToString(Inv) ?? "-"} usage-cycle={team.UsageCycle} ended={T(team.EndedAt)} pool-spent=[");
            foreach (var id in _memberIds)
            {
                if (team.PoolSpentThisCycle(id) is var n and not 0)
                {
                    sb.Append(Inv, $"{id}:{n},");
                }
            }
            return cache.Set(key, [sb.Append(']').ToString()]);
        }
    }

    private string[] Invitations(InMailState state)
    {
        long sum = 0;
        foreach (var inv in state.InvitationIndex.Values)
        {
            sum = unchecked(sum + inv.GetHashCode());
        }
        return _invitations.Get((state.InvitationIndex.Count, sum), () => state.InvitationIndex.Values
            .OrderBy(i => i.From, StringComparer.Ordinal).ThenBy(i => i.To, StringComparer.Ordinal)
            .Select(i => string.Create(Inv, $"invitation {i.From}->{i.To} at={T(i.SentAt)} note={Q(i.Note)}"))
            .ToArray());
    }

    private string[] Withdrawals(InMailState state)
    {
        long sum = 0;
        foreach (var w in state.Withdrawals)
        {
            sum = unchecked(sum + HashCode.Combine(w.Key, w.Value));
        }
        return _withdrawals.Get((state.Withdrawals.Count, sum), () => state.Withdrawals
            .OrderBy(w => w.Key.From, StringComparer.Ordinal).ThenBy(w => w.Key.To, StringComparer.Ordinal)
            .Select(w => string.Create(Inv, $"withdrawn {w.Key.From}->{w.Key.To} at={T(w.Value)}"))
            .ToArray());
    }

    private string[] Idempotency(InMailState state)
    {
        // Records are only ever added (a key is remembered once): same count, same records.
        if (!_full && state.IdempotencyIndex.Count == _idempotency.Block.Length)
        {
            return _idempotency.Block;
        }
        _idempotency.Begin();
        foreach (var ((actor, key), record) in state.IdempotencyIndex)
        {
            _idempotency.Add(record, 0, 0, 0, 0, 0, r =>
            {
                var result = r.Result switch
                {
                    Sent sent => $"sent {sent.Message.Id}",
                    var other => other.GetType().Name,
                };
                return string.Create(Inv, $"idempotency {actor}/{key} at={T(r.At)} fingerprint={r.Fingerprint} result={result}");
            });
        }
        return _idempotency.End();
    }

    private static string Sub(Subscription? s) => s is null
        ? "-"
        : string.Create(Inv, $"{s.Plan.Id}/{s.Billing}/anchor={T(s.Anchor)}/next-cycle={s.NextCycle}/ends={T(s.EndsAt)}");

    private static (int Count, long Sum) SetKey(IReadOnlySet<string> set)
    {
        long sum = 0;
        foreach (var item in set)
        {
            sum += StringComparer.Ordinal.GetHashCode(item);
        }
        return (set.Count, sum);
    }

    private static (int Count, long First, long Last) LogKey(InstantLog log)
    {
        var i = log.Instants;
        return i.Count == 0 ? (0, 0, 0) : (i.Count, i[0].UtcTicks, i[^1].UtcTicks);
    }

    private static string Log(InstantLog log)
    {
        var i = log.Instants;
        return i.Count == 0 ? "0" : string.Create(Inv, $"{i.Count}[{T(i[0])}..{T(i[^1])}]");
    }

    // ---------------------------------------------------------------- wallets

    private sealed class WalletBlocks(WalletId id)
    {
        public readonly string[] Header = [$"wallet {id}"];
        public readonly List<LotSlot> Lots = [];
        public readonly Dictionary<long, int> Index = [];
        public readonly List<long> LastLive = [];
        public string[] LotBlock = [];
        public (int Entries, LedgerEntry? Last, int Live, int All) Key;
        public readonly Sequence<LedgerEntry> Ledger = new();
    }

    private void AddWallet(Wallet wallet, WalletBlocks cache, List<string[]> blocks)
    {
        // The balance and the live list follow from the lots (their remaining credits and ends).
        blocks.Add(cache.Header);
        // A lot's credits change only with a ledger entry, and a lot ends with one or leaves the
        // live list: a wallet whose ledger and live list kept their length and last items is as it
        // was (a full scan checks that assumption).
        var ledger = wallet.Ledger;
        var key = (ledger.Count, ledger.Count == 0 ? null : ledger[^1], wallet.LiveLots.Count, wallet.AllLots.Count);
        if (!_full && cache.Key == key)
        {
            blocks.Add(cache.LotBlock);
            blocks.Add(cache.Ledger.Block);
            return;
        }
        var lotsBefore = cache.LotBlock;
        var lots = Lots(wallet, cache);
        if (_full && cache.Key == key && !ReferenceEquals(lots, lotsBefore))
        {
            UnaccountedChanges.Add($"the lots of {wallet.Id} changed without a ledger entry or a change of its live list");
        }
        cache.Key = key;
        blocks.Add(lots);
        // The ledger is append-only (immutable records, only ever added): when its length and its
        // first and last entries are the cached ones, so is everything between.
        cache.Ledger.Begin();
        if (!cache.Ledger.Holds(ledger))
        {
            for (var i = 0; i < ledger.Count; i++)
            {
                cache.Ledger.Add(ledger[i], 0, 0, 0, 0, 0, EntryLine);
            }
        }
        blocks.Add(cache.Ledger.End());
    }

    /// <summary>
    /// The lots' lines, in id order. An ended lot never changes (the engine closes a lot once and
    /// only touches live lots), so between full rescans only the lots live last time or now, and
    /// new lots, are looked at.
    /// </summary>
    private string[] Lots(Wallet wallet, WalletBlocks cache)
    {
        var all = wallet.AllLots;
        var dirty = false;
        if (_full || all.Count != cache.Lots.Count)
        {
            // Lots are only ever added, in id order; sort anyway if that ever stops being true.
            var ordered = IsAscending(all) ? all : all.OrderBy(l => l.Id).ToList();
            if (cache.Lots.Count > all.Count)
            {
                cache.Lots.Clear();
                cache.Index.Clear();
            }
            var i = 0;
            foreach (var lot in ordered)
            {
                if (i < cache.Lots.Count && !ReferenceEquals(cache.Lots[i].Lot, lot))
                {
                    cache.Lots.RemoveRange(i, cache.Lots.Count - i);
                    cache.Index.Clear();
                    for (var k = 0; k < i; k++)
                    {
                        cache.Index[cache.Lots[k].Lot.Id] = k;
                    }
                }
                if (i == cache.Lots.Count)
                {
                    cache.Lots.Add(new LotSlot(lot));
                    cache.Index[lot.Id] = i;
                    dirty = true;
                }
                else if (_full && cache.Lots[i].Refresh())
                {
                    dirty = true;
                    if (cache.Lots[i].WasEnded)
                    {
                        UnaccountedChanges.Add($"lot {lot.Id} of {wallet.Id} changed after it ended");
                    }
                }
                i++;
            }
        }
        foreach (var id in cache.LastLive)
        {
            dirty |= cache.Lots[cache.Index[id]].Refresh();
        }
        cache.LastLive.Clear();
        foreach (var lot in wallet.LiveLots)
        {
            if (cache.Index.TryGetValue(lot.Id, out var at))
            {
                dirty |= cache.Lots[at].Refresh();
            }
            cache.LastLive.Add(lot.Id);
        }
        if (dirty || cache.LotBlock.Length != cache.Lots.Count)
        {
            cache.LotBlock = cache.Lots.Select(l => l.Line).ToArray();
        }
        return cache.LotBlock;
    }

    private sealed class LotSlot(Lot lot)
    {
        private (int Remaining, LotEnd End, DateTimeOffset? EndedAt) _state = (lot.Remaining, lot.End, lot.EndedAt);

        public Lot Lot { get; } = lot;
        public string Line { get; private set; } = LotLine(lot);
        public bool WasEnded { get; private set; } = lot.End != LotEnd.Live;

        /// <summary>Re-renders the line when the lot changed; returns whether it did.</summary>
        public bool Refresh()
        {
            var now = (Lot.Remaining, Lot.End, Lot.EndedAt);
            if (now == _state)
            {
                return false;
            }
            WasEnded = _state.End != LotEnd.Live;
            _state = now;
            Line = LotLine(Lot);
            return true;
        }
    }

    private static string LotLine(Lot l) =>
        string.Create(Inv, $"  lot {l.Id} {l.Wallet} {l.Source} granted={l.Granted} at={T(l.GrantedAt)} expires={T(l.Expires)} remaining={l.Remaining} end={l.End}@{T(l.EndedAt)}");

    private static string EntryLine(LedgerEntry e) =>
        string.Create(Inv, $"  entry #{e.Sequence} {T(e.At)} {e.Wallet} lot={e.LotId} {e.Source} {e.Kind} {e.Delta:+0;-0;0} lot-expires={T(e.LotExpires)} message={e.MessageId ?? "-"} member={e.Member ?? "-"} note={Q(e.Note)}");

    private static bool IsAscending(IReadOnlyCollection<Lot> lots)
    {
        var last = long.MinValue;
        foreach (var lot in lots)
        {
            if (lot.Id <= last)
            {
                return false;
            }
            last = lot.Id;
        }
        return true;
    }

    // ---------------------------------------------------------------- conversations

    private readonly record struct ConversationState(
        DateTimeOffset LastActivity, int Count, bool WroteA, int StreakA, bool ArchivedA, bool WroteB, int StreakB, bool ArchivedB);

    private sealed class ConversationBlocks
    {
        public ConversationState State;
        public string[] Header = [];
        public bool Seen;
        public readonly Sequence<Message> Messages = new();
    }

    /// <summary>
    /// Every conversation's header and messages, in canonical order. Between full scans only the
    /// conversations of the members the step named are looked at; the others keep their blocks.
    /// </summary>
    private void AddConversations(InMailState state, List<string[]> blocks)
    {
        var rebuild = _full || _conversationOrder.Count != state.ConversationIndex.Count;
        if (_conversationOrder.Count != state.ConversationIndex.Count)
        {
            _conversationOrder.Clear();
            _conversationOrder.AddRange(state.ConversationIndex.Values.OrderBy(c => c.Pair.A, StringComparer.Ordinal).ThenBy(c => c.Pair.B, StringComparer.Ordinal));
            _conversationCaches.Clear();
            _conversationIndex.Clear();
            foreach (var c in _conversationOrder)
            {
                if (!_conversations.TryGetValue(c.Pair, out var cache))
                {
                    _conversations[c.Pair] = cache = new();
                }
                _conversationIndex[c.Pair] = _conversationCaches.Count;
                _conversationCaches.Add(cache);
            }
        }
        if (rebuild)
        {
            _conversationBlocks.Clear();
            for (var i = 0; i < _conversationOrder.Count; i++)
            {
                var c = _conversationOrder[i];
                var touched = Array.IndexOf(_touched, c.Pair) >= 0;
                var (header, messages) = Conversation(c, _conversationCaches[i], touched);
                _conversationBlocks.Add(header);
                _conversationBlocks.Add(messages);
            }
        }
        else
        {
            foreach (var pair in _touched)
            {
                if (_conversationIndex.TryGetValue(pair, out var i))
                {
                    var (header, messages) = Conversation(_conversationOrder[i], _conversationCaches[i], touched: true);
                    _conversationBlocks[2 * i] = header;
                    _conversationBlocks[(2 * i) + 1] = messages;
                }
            }
        }
        blocks.AddRange(_conversationBlocks);
    }

    private (string[] Header, string[] Messages) Conversation(Conversation c, ConversationBlocks cache, bool touched)
    {
        var (a, b) = (c.Pair.A, c.Pair.B);
        var state = new ConversationState(
            c.LastActivityAt, c.Messages.Count,
            c.HasWritten(a), c.InMailsSinceOtherWrote(a), c.IsArchivedFor(a),
            c.HasWritten(b), c.InMailsSinceOtherWrote(b), c.IsArchivedFor(b));
        var changed = false;
        if (cache.Header.Length == 0 || cache.State != state)
        {
            cache.State = state;
            cache.Header =
            [
                string.Create(
                    Inv,
                    $"conversation {c.Pair} last-activity={T(c.LastActivityAt)} messages={c.Messages.Count}"
                    + $" {a}:wrote={state.WroteA},streak={state.StreakA},archived={state.ArchivedA}"
                    + $" {b}:wrote={state.WroteB},streak={state.StreakB},archived={state.ArchivedB}"),
            ];
            changed = true;
        }
        var messages = c.Messages;
        var sequence = cache.Messages;
        sequence.Begin();
        if (_full || changed || touched)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i];
                // The response and the sender's mark share a slot: base 3, the mark's digit last.
                var responseAndMark = ((m.Response is { } r ? (long)r : -1) * 3) + (m.Mark is { } k ? (long)k + 1 : 0);
                sequence.Add(m, Ticks(m.ReadAt), Ticks(m.RespondedAt), responseAndMark, Ticks(m.RefundedAt), Ticks(m.ReportedSpamAt), MessageLine);
            }
        }
        else
        {
            sequence.KeepRest();
        }
        var block = sequence.End();
        if (changed || sequence.Changed)
        {
            if (!ChangedConversations.Contains(c))
            {
                ChangedConversations.Add(c);
            }
            if (!touched && cache.Seen)
            {
                UnaccountedChanges.Add($"conversation {c.Pair} changed although no step since the last full scan touched it");
            }
        }
        cache.Seen = true;
        return (cache.Header, block);
    }

    private static string MessageLine(Message m)
    {
        var charge = m.Charge is { } ch ? string.Create(Inv, $"{ch.Wallet}/lot={ch.LotId}/{T(ch.SpentAt)}") : "-";
        return string.Create(
            Inv,
            $"  message {m.Id} {m.From}->{m.To} {m.Path.ToName()} cost={m.Cost} charge={charge} sent={T(m.SentAt)} responds-with={m.RespondsWith?.ToName() ?? "-"}"
            + $" subject={Q(m.Subject)} body={Q(m.Body)} read={T(m.ReadAt)} response={m.Response?.ToName() ?? "-"}@{T(m.RespondedAt)}"
            + $" refunded={T(m.RefundedAt)} reported={T(m.ReportedSpamAt)} mark={m.Mark?.ToName() ?? "-"} template={m.Template ?? "-"}");
    }

    // ---------------------------------------------------------------- formatting

    private static long Ticks(DateTimeOffset? t) => t is { } v ? v.UtcTicks : -1;

    private static string Sorted(IEnumerable<string> items) => string.Join(',', items.Order(StringComparer.Ordinal));

    /// <summary>An instant to the tick, so "one tick before the expiry" and "at the expiry" differ.</summary>
    private static string T(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("O", Inv) : "-";

    private static string Q(string? s) => s is null
        ? "null"
        : "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
}
