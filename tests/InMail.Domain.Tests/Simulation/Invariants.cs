using System.Globalization;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain.Tests.Simulation;

/// <summary>The plan that grants into a wallet, and how many seats multiply its allowance and cap (1 for a member).</summary>
internal sealed record GrantContext(Subscription Subscription, int Seats);

/// <summary>
/// The invariants of the credit system, checked after every step of a simulation once the engine
/// has caught up to now. The ledger is read incrementally: each wallet's new entries since the
/// last check are replayed into a model of per-lot balances, so the cost per step stays small.
/// <list type="bullet">
/// <item>lots never go below zero nor above what they were granted, at any entry;</item>
/// <item>every allowance grant is the clipped amount of SPEC §3, lands on a cycle start, and leaves
/// the live allowance at or under the plan's cap (× seats for a team pool);</item>
/// <item>each wallet's balance recomputed from the ledger (<see cref="Wallet.BalanceAsOf"/> and the
/// per-lot sums) equals the materialised balance and every lot's remaining credits;</item>
/// <item>every refund entry matches an earlier spend for the same message, in the same wallet,
/// within the refund window, and no message is refunded twice;</item>
/// <item>ledger entries of a wallet are append-only and in time order;</item>
/// <item>nothing is charged twice: spend entries and paid InMails (cost 1) are in one-to-one
/// correspondence, and net credits agree;</item>
/// <item>responses: an InMail is marked responded exactly at the first later message from its
/// recipient in the conversation, and refunded exactly when that is within the window.</item>
/// </list>
/// </summary>
internal sealed class Invariants(InMailEngine engine)
{
    private readonly InMailEngine _engine = engine;
    private readonly TimeSpan _refundWindow = TimeSpan.FromDays(engine.Catalog.Policy.RefundWindowDays);
    private DateTimeOffset _lastNow = DateTimeOffset.MinValue;
    private int _checks;

    // The ledger as read so far: per wallet, and every spend and refund by message.
    private readonly Dictionary<WalletId, WalletModel> _wallets = [];
    private readonly Dictionary<string, LedgerEntry> _spends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LedgerEntry> _refunds = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Team, string Seat, int Cycle), int> _poolSpends = [];
    private int _spentCredits;
    private int _refundedCredits;

    // The messages as read so far, per conversation, and their totals.
    private readonly Dictionary<MemberPair, (int Total, int Paid, int Refunded)> _conversationCounts = [];
    private int _totalMessages;
    private int _paidMessages;
    private int _refundedMessages;

    // Buffers reused from check to check.
    private readonly List<Lot> _touchedLots = [];
    private readonly List<Message> _pendingA = [];
    private readonly List<Message> _pendingB = [];

    private InMailState State => _engine.State;

    private TimeSpan RefundWindow => _refundWindow;

    /// <summary>Counters of interesting things seen in the ledger, to show the simulation is not vacuous.</summary>
    public Dictionary<string, int> Seen { get; } = new(StringComparer.Ordinal);

    /// <summary>Pool credits a seat spent in the team cycle holding <paramref name="now"/>, counted from the ledger.</summary>
    public int PoolSpent(Team team, string seat, DateTimeOffset now) =>
        _poolSpends.GetValueOrDefault((team.Id, seat, team.Subscription.CycleAt(now)));

    /// <summary>The grant context of every wallet as things stand now.</summary>
    public Dictionary<WalletId, GrantContext> CaptureGrantContexts()
    {
        var contexts = new Dictionary<WalletId, GrantContext>(State.MemberIndex.Count + State.TeamIndex.Count);
        foreach (var member in State.MemberIndex.Values)
        {
            if (member.Subscription is { } sub)
            {
                contexts[member.Wallet.Id] = new GrantContext(sub, 1);
            }
        }
        foreach (var team in State.TeamIndex.Values)
        {
            if (team.IsActive)
            {
                contexts[team.Pool.Id] = new GrantContext(team.Subscription, team.Seats.Count);
            }
        }
        return contexts;
    }

    /// <summary>
    /// Checks everything after a step; grants written during it were made under the plans before a
    /// pure time jump, or after an action.
    /// </summary>
    /// <param name="now">The instant the engine was just caught up to.</param>
    /// <param name="grantContexts">Which plan any grant written during the step was made under (asked for only when there is one).</param>
    /// <param name="changedConversations">Conversations that changed in the step (from the snapshot); all are re-checked every few hundred steps.</param>
    /// <param name="violations">Where to add what is wrong.</param>
    public void Check(DateTimeOffset now, Func<IReadOnlyDictionary<WalletId, GrantContext>> grantContexts, IReadOnlyCollection<Conversation> changedConversations, List<string> violations)
    {
        ArgumentNullException.ThrowIfNull(grantContexts);
        ArgumentNullException.ThrowIfNull(changedConversations);
        ArgumentNullException.ThrowIfNull(violations);
        if (now < _lastNow)
        {
            violations.Add($"the clock went back from {F(_lastNow)} to {F(now)}");
        }
        var clockMoved = now != _lastNow;
        _lastNow = now;
        var fullSweep = _checks++ % 250 == 0;
        foreach (var wallet in State.Wallets)
        {
            // Without a new entry, a change of the live list or time passing, nothing of a wallet
            // can have changed that its last check did not see (a full sweep checks everything).
            if (!fullSweep && !clockMoved && _wallets.TryGetValue(wallet.Id, out var seen)
                && seen.Processed == wallet.Ledger.Count && seen.LiveCount == wallet.LiveLots.Count && seen.LotCount == wallet.AllLots.Count)
            {
                continue;
            }
            CheckWallet(now, wallet, grantContexts, fullSweep, violations);
        }
        CheckPlans(now, violations);
        CheckMessages(fullSweep ? State.ConversationIndex.Values : changedConversations, violations);
        CheckOutreach(now, violations);
        if (fullSweep || clockMoved)
        {
            CheckInboxes(now, violations);
        }
    }

    /// <summary>
    /// Each member's active inbox holds exactly their conversations neither archived nor snoozed, in
    /// their own order (a snooze or reminder brings one back on top), within the cap; no snooze or
    /// reminder is left past its instant.
    /// </summary>
    private void CheckInboxes(DateTimeOffset now, List<string> violations)
    {
        foreach (var member in State.Members)
        {
            var expected = State.ConversationsOf(member.Id).Where(c => c.IsActiveFor(member.Id)).Select(c => (c.ActivityFor(member.Id), c.Pair)).ToHashSet();
            var actual = State.ActiveInboxes.TryGetValue(member.Id, out var inbox) ? inbox.Entries.ToHashSet() : [];
            if (!expected.SetEquals(actual))
            {
                violations.Add($"{member.Id}'s active inbox holds {actual.Count} entries, but {expected.Count} conversations are active for them (or in another order)");
            }
            foreach (var c in State.ConversationsOf(member.Id))
            {
                if (c.SnoozedUntil(member.Id) is { } until && until <= now)
                {
                    violations.Add($"{member.Id}'s snooze of {c.Pair} ended at {F(until)} but is still on at {F(now)}");
                }
                if (c.ReminderFor(member.Id) is { } reminder && reminder.At <= now)
                {
                    violations.Add($"{member.Id}'s reminder on {c.Pair} fell due at {F(reminder.At)} but is still pending at {F(now)}");
                }
            }
        }
    }

    // ---------------------------------------------------------------- outreach (SPEC §10)

    private readonly HashSet<string> _dueMessages = new(StringComparer.Ordinal);

    /// <summary>
    /// Scheduled sends run once, never early, and none is left behind; no sequence step runs after
    /// its recipient wrote to the sender since enrolment; every credit a step spent is in the ledger
    /// against its message; an enrolment's status agrees with its steps.
    /// </summary>
    private void CheckOutreach(DateTimeOffset now, List<string> violations)
    {
        foreach (var member in State.Members)
        {
            foreach (var x in member.Schedules.Values)
            {
                if (x.Status == Domain.Outreach.ScheduleStatus.Pending && x.DueAt <= now)
                {
                    violations.Add($"scheduled send {member.Id}/{x.Id} fell due at {F(x.DueAt)} and is still pending at {F(now)}");
                }
                if (x.Status is Domain.Outreach.ScheduleStatus.Sent or Domain.Outreach.ScheduleStatus.Refused && x.EndedAt < x.DueAt)
                {
                    violations.Add($"scheduled send {member.Id}/{x.Id} due at {F(x.DueAt)} ran early, at {F(x.EndedAt)}");
                }
                if (x.MessageId is { } id && _dueMessages.Add(id))
                {
                    var m = State.FindMessage(id);
                    if (m is null || m.From != member.Id || m.To != x.Draft.To || m.SentAt != x.EndedAt)
                    {
                        violations.Add($"scheduled send {member.Id}/{x.Id} names message {id}, which is not its send at {F(x.EndedAt)}");
                    }
                }
            }
            foreach (var e in member.Sequences.Values.SelectMany(q => q.Enrollments))
            {
                CheckEnrollment(now, member, e, violations);
            }
        }
    }

    private void CheckEnrollment(DateTimeOffset now, Member owner, Domain.Outreach.Enrollment e, List<string> violations)
    {
        var name = $"enrolment of {e.To} in {owner.Id}/{e.Sequence.Id}";
        switch (e.Status)
        {
            case Domain.Outreach.EnrollmentStatus.Active when e.NextDueAt is not { } next || next <= now:
                violations.Add($"{name} is active at {F(now)} with its next step due at {F(e.NextDueAt)}");
                break;
            case Domain.Outreach.EnrollmentStatus.Finished when e.StepsSent != e.Sequence.Steps.Count:
                violations.Add($"{name} finished after {e.StepsSent} of {e.Sequence.Steps.Count} steps");
                break;
            case Domain.Outreach.EnrollmentStatus.Stopped when e.Reason is null:
                violations.Add($"{name} stopped without a reason");
                break;
        }
        foreach (var step in e.Steps)
        {
            if (!_dueMessages.Add(step.MessageId))
            {
                continue;
            }
            var m = State.FindMessage(step.MessageId);
            if (m is null || m.From != owner.Id || m.To != e.To || m.SentAt != step.At)
            {
                violations.Add($"{name}: step {step.Index + 1} names message {step.MessageId}, which is not its send at {F(step.At)}");
                continue;
            }
            var conversation = State.FindConversation(owner.Id, e.To)!;
            if (conversation.Messages.FirstOrDefault(x => x.From == e.To && x.SentAt > e.EnrolledAt && x.SentAt < step.At) is { } answer)
            {
                violations.Add($"{name}: step {step.Index + 1} ran at {F(step.At)} after {e.To} wrote {answer.Id} at {F(answer.SentAt)}");
            }
            if (step.Charged != (m.Charge is not null))
            {
                violations.Add($"{name}: step {step.Index + 1} records charged={step.Charged} but its message {(m.Charge is null ? "cost nothing" : "took a credit")}");
            }
            if (m.Charge is { } charge && !State.WalletOf(charge.Wallet).Ledger.Any(l => l.Kind == LedgerKind.Spend && l.MessageId == m.Id))
            {
                violations.Add($"{name}: the credit step {step.Index + 1} spent on {m.Id} is not in {charge.Wallet}'s ledger");
            }
        }
    }

    // ---------------------------------------------------------------- wallets and the ledger

    private sealed class WalletModel
    {
        public int Processed;
        public int LiveCount;
        public int LotCount;
        public int Balance;
        public LedgerEntry? Last;
        public readonly Dictionary<long, int> Running = [];
        public readonly HashSet<long> AllowanceLots = [];
    }

    /// <summary>A lot of the wallet, live or ended: in a working set an ended lot may be stored and no longer in memory (decision 007).</summary>
    private static Lot? LotOf(Wallet wallet, long id) => wallet.FindLot(id) ?? wallet.AllLots.FirstOrDefault(l => l.Id == id);

    private void CheckWallet(DateTimeOffset now, Wallet wallet, Func<IReadOnlyDictionary<WalletId, GrantContext>> contexts, bool fullSweep, List<string> v)
    {
        if (!_wallets.TryGetValue(wallet.Id, out var model))
        {
            _wallets[wallet.Id] = model = new WalletModel();
        }
        var ledger = wallet.Ledger;
        if (ledger.Count < model.Processed || (model.Processed > 0 && !Equals(ledger[model.Processed - 1], model.Last)))
        {
            v.Add($"{wallet.Id}: the ledger is not append-only (it had {model.Processed} entries, now {ledger.Count}, or an old entry changed)");
            return;
        }
        var grew = ledger.Count > model.Processed;
        var touched = _touchedLots;
        touched.Clear();
        for (var i = model.Processed; i < ledger.Count; i++)
        {
            var e = ledger[i];
            if (model.Last is { } prev && (e.At < prev.At || e.Sequence <= prev.Sequence))
            {
                v.Add($"{wallet.Id}: entry #{e.Sequence} at {F(e.At)} comes after #{prev.Sequence} at {F(prev.At)}: the ledger is out of time order");
            }
            if (e.At > now)
            {
                v.Add($"{wallet.Id}: entry #{e.Sequence} is in the future ({F(e.At)} > now {F(now)})");
            }
            model.Last = e;
            model.Balance = checked(model.Balance + e.Delta);
            ApplyEntry(wallet, model, e, contexts, v);
            if (LotOf(wallet, e.LotId) is { } lot)
            {
                touched.Add(lot);
            }
        }
        model.Processed = ledger.Count;
        model.LiveCount = wallet.LiveLots.Count;
        model.LotCount = wallet.AllLots.Count;

        // The balance recomputed from the ledger (by the wallet, and here entry by entry) against the
        // materialised one. The wallet's own recomputation reads the whole ledger: only when it grew.
        var materialised = wallet.Balance;
        if (model.Balance != materialised)
        {
            v.Add($"{wallet.Id}: balance {materialised}, but its ledger entries sum to {model.Balance}");
        }
        if (grew || fullSweep)
        {
            var fromLedger = wallet.BalanceAsOf(now);
            if (fromLedger != materialised)
            {
                v.Add($"{wallet.Id}: balance {materialised}, but BalanceAsOf(now) recomputes {fromLedger} from the ledger");
            }
        }
        var lots = fullSweep ? wallet.AllLots : wallet.LiveLots.Concat(touched);
        foreach (var lot in lots)
        {
            CheckLot(now, wallet, model, lot, v);
        }
        for (var i = 1; i < wallet.LiveLots.Count; i++)
        {
            var (a, b) = (wallet.LiveLots[i - 1], wallet.LiveLots[i]);
            if (a.Expires > b.Expires || (a.Expires == b.Expires && (a.GrantedAt > b.GrantedAt || (a.GrantedAt == b.GrantedAt && a.Id > b.Id))))
            {
                v.Add($"{wallet.Id}: live lots out of spending order: lot {a.Id} (expires {F(a.Expires)}) before lot {b.Id} (expires {F(b.Expires)})");
            }
        }
    }

    private static void CheckLot(DateTimeOffset now, Wallet wallet, WalletModel model, Lot lot, List<string> v)
    {
        var fromLedger = model.Running.GetValueOrDefault(lot.Id);
        if (fromLedger != lot.Remaining)
        {
            v.Add($"{wallet.Id}: lot {lot.Id} ({lot.Source}) holds {lot.Remaining}, but its ledger entries sum to {fromLedger}");
        }
        if (lot.Remaining < 0 || lot.Remaining > lot.Granted)
        {
            v.Add($"{wallet.Id}: lot {lot.Id} holds {lot.Remaining} of {lot.Granted} granted");
        }
        var isLive = wallet.LiveLots.Contains(lot);
        if (lot.End == LotEnd.Live)
        {
            if (!isLive)
            {
                v.Add($"{wallet.Id}: lot {lot.Id} is live but not in the live list");
            }
            if (lot.Expires <= now)
            {
                v.Add($"{wallet.Id}: lot {lot.Id} expired at {F(lot.Expires)} but is still live at {F(now)} after catching up");
            }
        }
        else
        {
            if (isLive)
            {
                v.Add($"{wallet.Id}: lot {lot.Id} ended ({lot.End}) but is still in the live list");
            }
            if (lot.Remaining != 0)
            {
                v.Add($"{wallet.Id}: lot {lot.Id} ended ({lot.End}) with {lot.Remaining} credits left in it");
            }
        }
    }

    private void ApplyEntry(Wallet wallet, WalletModel model, LedgerEntry e, Func<IReadOnlyDictionary<WalletId, GrantContext>> contexts, List<string> v)
    {
        var where = $"{wallet.Id} entry #{e.Sequence} ({e.Kind} {e.Delta:+0;-0;0} on lot {e.LotId} at {F(e.At)})";
        if (e.Wallet != wallet.Id)
        {
            v.Add($"{where}: names wallet {e.Wallet}");
        }
        var lot = LotOf(wallet, e.LotId);
        if (lot is null)
        {
            v.Add($"{where}: names a lot the wallet does not hold");
            return;
        }
        if (e.Source != lot.Source || e.LotExpires != lot.Expires)
        {
            v.Add($"{where}: says {e.Source} expiring {F(e.LotExpires)}, but the lot is {lot.Source} expiring {F(lot.Expires)}");
        }
        var first = !model.Running.ContainsKey(lot.Id);
        var before = model.Running.GetValueOrDefault(lot.Id);
        var after = checked(before + e.Delta);
        model.Running[lot.Id] = after;
        if (after < 0 || after > lot.Granted)
        {
            v.Add($"{where}: takes the lot to {after} of {lot.Granted} granted");
        }
        var creates = e.Kind is LedgerKind.Grant or LedgerKind.Purchase or LedgerKind.Bonus || (e.Kind == LedgerKind.Refund && first);
        if (creates != first)
        {
            v.Add(first ? $"{where}: the first entry of a lot must create it" : $"{where}: creates a lot that already had entries");
        }
        if (creates && (e.Delta != lot.Granted || e.Delta <= 0 || e.At != lot.GrantedAt))
        {
            v.Add($"{where}: creates lot granted {lot.Granted} at {F(lot.GrantedAt)}");
        }
        if (e.Kind is LedgerKind.Spend or LedgerKind.Refund && !creates && e.At >= lot.Expires)
        {
            v.Add($"{where}: touches a lot that expired at {F(lot.Expires)}");
        }
        var policy = _engine.Catalog.Policy;
        switch (e.Kind)
        {
            case LedgerKind.Grant:
                if (lot.Source != LotSource.Allowance)
                {
                    v.Add($"{where}: a grant of a {lot.Source} lot");
                }
                model.AllowanceLots.Add(lot.Id);
                CheckGrant(wallet, model, e, contexts, where, v);
                if (!policy.AllowanceExpiresAtNextCycle && lot.Expires != UtcCalendar.AddDays(e.At, policy.AllowanceLifetimeDays))
                {
                    v.Add($"{where}: an allowance lot must expire {policy.AllowanceLifetimeDays} days after its grant, not at {F(lot.Expires)}");
                }
                break;
            case LedgerKind.Purchase:
                if (lot.Source != LotSource.Purchase || !policy.PackSizes.Contains(e.Delta) || lot.Expires != UtcCalendar.AddMonths(e.At, policy.PurchaseLifetimeMonths))
                {
                    v.Add($"{where}: a purchase must be a pack of {string.Join('/', policy.PackSizes)} expiring {policy.PurchaseLifetimeMonths} months later");
                }
                Bump("purchase");
                break;
            case LedgerKind.Bonus:
                Bump("bonus");
                break;
            case LedgerKind.Spend:
                CheckSpend(wallet, e, where, v);
                break;
            case LedgerKind.Refund:
                CheckRefund(wallet, lot, e, creates, where, v);
                break;
            case LedgerKind.Expire:
                if (after != 0 || e.At != lot.Expires || e.Delta >= 0)
                {
                    v.Add($"{where}: an expiry must empty the lot at its expiry {F(lot.Expires)}; it leaves {after}");
                }
                Bump("expire");
                break;
            case LedgerKind.Forfeit:
                if (after != 0 || e.At >= lot.Expires || e.Delta >= 0)
                {
                    v.Add($"{where}: a forfeit must empty a live lot; it leaves {after}");
                }
                if (wallet.Id.Owner == WalletOwner.Member && lot.Source != LotSource.Allowance)
                {
                    v.Add($"{where}: only allowance lots are forfeited from a member's wallet; this is {lot.Source}");
                }
                Bump("forfeit");
                break;
            default:
                v.Add($"{where}: unknown kind");
                break;
        }
    }

    private void CheckGrant(Wallet wallet, WalletModel model, LedgerEntry e, Func<IReadOnlyDictionary<WalletId, GrantContext>> contexts, string where, List<string> v)
    {
        if (!contexts().TryGetValue(wallet.Id, out var ctx))
        {
            v.Add($"{where}: an allowance grant into a wallet without a plan");
            return;
        }
        var plan = ctx.Subscription.Plan;
        var allowance = checked(plan.CreditsPerCycle * ctx.Seats);
        var cap = checked(plan.Cap * ctx.Seats);
        var live = 0;
        var gone = new List<long>();
        foreach (var id in model.AllowanceLots)
        {
            var lot = LotOf(wallet, id)!;
            var ended = lot.Expires <= e.At || (lot.End == LotEnd.Forfeited && lot.EndedAt <= e.At && lot.Id != e.LotId);
            if (ended)
            {
                gone.Add(id);
                continue;
            }
            live = checked(live + model.Running.GetValueOrDefault(id));
        }
        foreach (var id in gone)
        {
            if (model.Running.GetValueOrDefault(id) == 0)
            {
                model.AllowanceLots.Remove(id);
            }
        }
        var liveBefore = live - e.Delta;
        var expected = Math.Min(allowance, Math.Max(0, cap - liveBefore));
        if (live > cap)
        {
            v.Add($"{where}: leaves {live} live allowance credits, above the cap of {cap} ({plan.Id}, {ctx.Seats} seat(s))");
        }
        if (e.Delta != expected)
        {
            v.Add($"{where}: granted {e.Delta}, but min(allowance {allowance}, cap {cap} − live {liveBefore}) is {expected}");
        }
        if (expected < allowance)
        {
            Bump("grant-clipped");
        }
        Bump(wallet.Id.Owner == WalletOwner.Team ? "grant-team" : "grant");
        var sub = ctx.Subscription;
        if (!IsCycleStart(sub, e.At, out var cycle))
        {
            v.Add($"{where}: not at a cycle start of {plan.Id} anchored {F(sub.Anchor)}");
        }
        else if (sub.EndsAt is { } end && e.At >= end)
        {
            v.Add($"{where}: cycle {cycle} starts at or after the subscription's end {F(end)}");
        }
    }

    private static bool IsCycleStart(Subscription sub, DateTimeOffset at, out int cycle)
    {
        var a = sub.Anchor.UtcDateTime;
        var t = at.UtcDateTime;
        var months = ((t.Year - a.Year) * 12) + t.Month - a.Month;
        for (cycle = Math.Max(0, months - 1); cycle <= months + 1; cycle++)
        {
            if (a.AddMonths(cycle) == t)
            {
                return true;
            }
        }
        return false;
    }

    private void CheckSpend(Wallet wallet, LedgerEntry e, string where, List<string> v)
    {
        _spentCredits++;
        if (e.Delta != -1 || e.MessageId is null)
        {
            v.Add($"{where}: a spend takes exactly one credit for one message");
            return;
        }
        if (!_spends.TryAdd(e.MessageId, e))
        {
            v.Add($"{where}: message {e.MessageId} was already charged by entry #{_spends[e.MessageId].Sequence}: charged twice");
        }
        var m = State.FindMessage(e.MessageId);
        if (m is null)
        {
            v.Add($"{where}: spent for a message that does not exist ({e.MessageId})");
            return;
        }
        if (m.Charge is not { } charge || charge.Wallet != wallet.Id || charge.LotId != e.LotId || charge.SpentAt != e.At || m.SentAt != e.At || m.Path != SendPath.InMail)
        {
            v.Add($"{where}: message {m.Id} ({m.Path.ToName()}, {Describe(m.Charge)}) does not record this spend");
        }
        if (wallet.Id.Owner == WalletOwner.Team)
        {
            Bump("spend-pool");
            if (e.Member != m.From)
            {
                v.Add($"{where}: a pool spend must name the seat that spent ({m.From}), not {e.Member ?? "nobody"}");
            }
            var team = State.TeamIndex[wallet.Id.Id];
            var key = (team.Id, m.From, team.Subscription.CycleAt(e.At));
            var spent = _poolSpends[key] = _poolSpends.GetValueOrDefault(key) + 1;
            if (team.SeatCap is { } seatCap && spent > seatCap)
            {
                v.Add($"{where}: {m.From} spent {spent} pool credits in team cycle {key.Item3}, above the seat cap of {seatCap}");
            }
        }
        else
        {
            Bump("spend");
            if (wallet.Id.Id != m.From)
            {
                v.Add($"{where}: {m.From}'s InMail was charged to {wallet.Id}");
            }
        }
    }

    private void CheckRefund(Wallet wallet, Lot lot, LedgerEntry e, bool creates, string where, List<string> v)
    {
        _refundedCredits = checked(_refundedCredits + e.Delta);
        List<string> ids;
        if (creates)
        {
            Bump("refund-lot");
            if (lot.Source != LotSource.Refund || lot.Expires != UtcCalendar.AddDays(e.At, _engine.Catalog.Policy.RefundLotLifetimeDays))
            {
                v.Add($"{where}: a refund lot expires {_engine.Catalog.Policy.RefundLotLifetimeDays} days after the response, not at {F(lot.Expires)}");
            }
            // A refund lot holds the credits of several InMails; the entry names the first and its note lists them all.
            var note = e.Note ?? "";
            var colon = note.LastIndexOf(": ", StringComparison.Ordinal);
            ids = colon < 0 ? [] : [.. note[(colon + 2)..].Split(", ")];
            if (ids.Count != e.Delta || (ids.Count > 0 && ids[0] != e.MessageId))
            {
                v.Add($"{where}: a refund lot of {e.Delta} credits must name as many InMails; it names {ids.Count} ('{note}', message {e.MessageId})");
            }
        }
        else
        {
            Bump("refund-into-lot");
            if (e.Delta != 1 || e.MessageId is null)
            {
                v.Add($"{where}: a refund into a lot returns one credit for one message");
                return;
            }
            ids = [e.MessageId];
        }
        foreach (var id in ids)
        {
            if (!_spends.TryGetValue(id, out var spend))
            {
                v.Add($"{where}: refunds message {id}, which no earlier entry spent for");
                continue;
            }
            if (!_refunds.TryAdd(id, e))
            {
                v.Add($"{where}: refunds message {id} a second time (first by entry #{_refunds[id].Sequence})");
            }
            if (spend.Wallet != wallet.Id || spend.At > e.At)
            {
                v.Add($"{where}: refunds message {id} into {wallet.Id}, but it was spent from {spend.Wallet} at {F(spend.At)}");
            }
            if (e.At - spend.At > RefundWindow)
            {
                v.Add($"{where}: refunds message {id} spent at {F(spend.At)}, more than {RefundWindow.TotalDays} days before");
            }
            if (e.At - spend.At == RefundWindow)
            {
                Bump("refund-at-exact-window-end");
            }
            if (!creates && spend.LotId != e.LotId)
            {
                v.Add($"{where}: returns message {id}'s credit to lot {e.LotId}, but it came from lot {spend.LotId}");
            }
            if (creates && LotOf(wallet, spend.LotId) is { } source && source.IsLiveAt(e.At))
            {
                v.Add($"{where}: puts message {id}'s credit in a new refund lot although lot {source.Id} it came from is still live");
            }
            if (State.FindMessage(id) is not { } m || m.RefundedAt != e.At)
            {
                v.Add($"{where}: message {id} does not record a refund at {F(e.At)}");
            }
        }
    }

    // ---------------------------------------------------------------- plans and teams

    private void CheckPlans(DateTimeOffset now, List<string> v)
    {
        foreach (var member in State.MemberIndex.Values)
        {
            var sub = member.Subscription;
            var team = State.FindTeam(member.TeamId);
            if (sub is not null && member.TeamId is not null)
            {
                v.Add($"{member.Id} holds both a subscription ({sub.Plan.Id}) and a seat on {member.TeamId}");
            }
            if (member.TeamId is not null && (team is null || !team.IsActive || !team.HasSeat(member.Id)))
            {
                v.Add($"{member.Id} says it holds a seat on {member.TeamId}, which does not list it");
            }
            if (sub is not null)
            {
                CheckCaughtUp(now, sub, member.Id, v);
                if (sub.Plan.Team || !sub.Plan.Paid)
                {
                    v.Add($"{member.Id} holds a personal subscription to {sub.Plan.Id}");
                }
            }
            else if (member.Wallet.LiveLots.Any(l => l.Source == LotSource.Allowance))
            {
                v.Add($"{member.Id} has no subscription but keeps live allowance lots");
            }
        }
        foreach (var team in State.TeamIndex.Values)
        {
            if (!team.IsActive)
            {
                if (team.Seats.Count > 0 || team.Pool.LiveLots.Any(l => l.Source == LotSource.Allowance))
                {
                    v.Add($"team {team.Id} ended but keeps seats or allowance");
                }
                continue;
            }
            CheckCaughtUp(now, team.Subscription, $"team {team.Id}", v);
            foreach (var seat in team.Seats)
            {
                if (State.FindMember(seat)?.TeamId != team.Id)
                {
                    v.Add($"team {team.Id} lists seat {seat}, whose member does not point back");
                }
            }
            if (team.Seats.Count != team.Seats.Distinct(StringComparer.Ordinal).Count())
            {
                v.Add($"team {team.Id} lists a seat twice");
            }
        }
    }

    private static void CheckCaughtUp(DateTimeOffset now, Subscription sub, string who, List<string> v)
    {
        if (sub.EndsAt is { } end && end <= now)
        {
            v.Add($"{who}: subscription to {sub.Plan.Id} should have ended at {F(end)}");
        }
        if (sub.NextGrantAt <= now && !(sub.EndsAt is { } e && sub.NextGrantAt >= e))
        {
            v.Add($"{who}: the grant of cycle {sub.NextCycle} was due at {F(sub.NextGrantAt)} and is still missing at {F(now)}");
        }
    }

    // ---------------------------------------------------------------- messages

    private void CheckMessages(IEnumerable<Conversation> conversations, List<string> v)
    {
        foreach (var c in conversations)
        {
            var (total, paid, refunded) = (0, 0, 0);
            _pendingA.Clear();
            _pendingB.Clear();
            var messages = c.Messages;
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i];
                total++;
                // Anything m's writer writes is their response to the other side's InMails awaiting one.
                var answered = m.From == c.Pair.A ? _pendingB : _pendingA;
                foreach (var p in answered)
                {
                    var kind = m.RespondsWith ?? ResponseKind.Reply;
                    if (p.RespondedAt != m.SentAt || p.Response != kind)
                    {
                        v.Add($"InMail {p.Id} ({p.From}->{p.To}) was answered by {m.Id} at {F(m.SentAt)} ({kind.ToName()}), but records {p.Response?.ToName() ?? "no response"} at {F(p.RespondedAt)}");
                    }
                }
                answered.Clear();
                if (m.IsInMail)
                {
                    (m.From == c.Pair.A ? _pendingA : _pendingB).Add(m);
                }
                if ((m.Cost == 1) != (m.Path == SendPath.InMail))
                {
                    v.Add($"message {m.Id} on path {m.Path.ToName()} cost {m.Cost}");
                }
                if (m.Cost == 1)
                {
                    paid++;
                    if (!_spends.ContainsKey(m.Id))
                    {
                        v.Add($"paid InMail {m.Id} has no spend entry in any ledger");
                    }
                }
                var inWindow = m.Charge is { } charge && m.RespondedAt is { } responded && responded - charge.SpentAt <= RefundWindow;
                if (m.RefundedAt is { } refundedAt)
                {
                    refunded++;
                    if (!_refunds.ContainsKey(m.Id) || refundedAt != m.RespondedAt || !inWindow)
                    {
                        v.Add($"message {m.Id} says it was refunded at {F(refundedAt)} (responded {F(m.RespondedAt)}, {Describe(m.Charge)}) without a matching refund entry in the window");
                    }
                }
                else if (inWindow)
                {
                    v.Add($"paid InMail {m.Id} sent {F(m.SentAt)} was answered at {F(m.RespondedAt)}, within {RefundWindow.TotalDays} days, but its credit never came back");
                }
            }
            foreach (var pending in (ReadOnlySpan<List<Message>>)[_pendingA, _pendingB])
            {
                foreach (var p in pending)
                {
                    if (p.RespondedAt is not null)
                    {
                        v.Add($"InMail {p.Id} ({p.From}->{p.To}) records a response at {F(p.RespondedAt)}, but its recipient has not written since");
                    }
                }
            }
            // Keep the totals over all conversations by replacing this conversation's share.
            var previous = _conversationCounts.GetValueOrDefault(c.Pair);
            _conversationCounts[c.Pair] = (total, paid, refunded);
            _totalMessages += total - previous.Total;
            _paidMessages += paid - previous.Paid;
            _refundedMessages += refunded - previous.Refunded;
        }
        var (totalAll, paidAll, refundedAll) = (_totalMessages, _paidMessages, _refundedMessages);
        CheckTotals(totalAll, paidAll, refundedAll, v);
    }

    private void CheckTotals(int total, int paid, int refunded, List<string> v)
    {
        if (total != State.MessageIndex.Count)
        {
            v.Add($"{total} messages in conversations, {State.MessageIndex.Count} in the message index");
        }
        if (paid != _spends.Count || paid != _spentCredits)
        {
            v.Add($"{paid} paid InMails were sent, but the ledgers hold {_spentCredits} spend entries for {_spends.Count} messages");
        }
        if (refunded != _refunds.Count || refunded != _refundedCredits)
        {
            v.Add($"{refunded} InMails record a refund, but the ledgers refunded {_refundedCredits} credits for {_refunds.Count} messages");
        }
        // Net credits: what the spend and refund entries add up to, against what the messages say.
        var net = _refundedCredits - _spentCredits;
        if (net != refunded - paid)
        {
            v.Add($"net credits spent on InMail are {-net} in the ledgers, but {paid} paid InMails less {refunded} refunded make {paid - refunded}");
        }
    }

    private static string Describe(Charge? c) => c is null ? "no charge" : $"charged {c.Wallet} lot {c.LotId} at {F(c.SpentAt)}";

    private void Bump(string what) => Seen[what] = Seen.GetValueOrDefault(what) + 1;

    private static string F(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) : "-";
}
