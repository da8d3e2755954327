using System.Globalization;
using System.Text;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Outreach;
using InMail.Domain.Time;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Simulation;

/// <summary>A simulation step broke an invariant; the message says how to replay it.</summary>
public sealed class SimulationFailureException : Exception
{
    public SimulationFailureException() { }

    public SimulationFailureException(string message) : base(message) { }

    public SimulationFailureException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A seeded, model-based simulation of the whole engine. Every random choice comes from one
/// <see cref="Random"/> seeded with the seed, so a seed always replays the same steps. A step is
/// generated (with a description), carried out against the engine's public API, then the engine is
/// caught up to now and <see cref="Invariants"/> are checked. A refused, replayed or read-only step
/// must leave the canonical snapshot of the state exactly as it was.
/// <para>
/// The snapshot is taken once per step, after catching up, and is also the next step's "before".
/// Between full rescans (every <see cref="FullScanEvery"/> steps) it rescans only the
/// conversations the step may touch and the wallets whose ledger or live lots changed; a full
/// rescan reports anything that changed without a step accounting for it.
/// </para>
/// <para>
/// Members subscribe, change plans (down to basic), cancel, form teams on sales-navigator-advanced
/// with seats and seat caps, connect, invite, block, join groups, turn Open Profile and InMail on and
/// off, send (to connections, strangers, open profiles, group members, with and without idempotency
/// keys), respond, report spam, buy packs and get bonuses, while the clock jumps by seconds to
/// months, lands exactly on expiries, renewals and the ends of refund windows, or jumps and acts
/// at once without catching up first (so lazy catching up inside the engine is exercised too).
/// </para>
/// </summary>
internal sealed partial class Simulator
{
    public const string SeedVariable = "INMAIL_SIM_SEED";
    public const string StepsVariable = "INMAIL_SIM_STEPS";
    public const string TraceVariable = "INMAIL_SIM_TRACE";

    private const string TeamPlan = "sales-navigator-advanced";
    private const int InitialMembers = 14;
    private const int MaxMembers = 26;
    private const int MaxActiveTeams = 4;
    private const int GroupCount = 5;
    private const int RecentWindow = 160;
    private const int FullScanEvery = 50;
    private const int FreshSnapshotEvery = 2_500;

    private static readonly DateTimeOffset[] Starts =
    [
        new(2026, 1, 31, 0, 0, 0, TimeSpan.Zero),
        new(2028, 2, 29, 12, 0, 0, TimeSpan.Zero),
        new(2026, 3, 31, 23, 59, 59, TimeSpan.Zero),
        new(2026, 12, 31, 23, 0, 0, TimeSpan.Zero),
        new(2026, 6, 15, 9, 30, 0, TimeSpan.Zero),
        new(2027, 8, 31, 18, 45, 30, TimeSpan.Zero),
    ];

    private static readonly string[] PersonalPlans =
        ["basic", "premium-career", "premium-business", "sales-navigator-core", "recruiter-lite", "recruiter-professional", "recruiter-corporate"];

    private static readonly int[] Packs = [10, 25, 50, 100, 10, 25, 7, 0];

    private readonly int _seed;
    private readonly MemoryStateSource? _source;
    private readonly Random _rng;
    private readonly InMailEngine _engine;
    private readonly Invariants _invariants;
    private readonly Snapshotter _snapshotter = new();
    private readonly Action<string>? _trace;
    private readonly (int Weight, Func<Step?> Make)[] _generators;
    private readonly int _totalWeight;

    // The snapshot after the previous step (the "before" of this one) and after this one.
    private List<string[]> _before = [];
    private List<string[]> _after = [];
    private List<string[]> _fresh = [];

    // What the simulation knows of the world it made, to pick plausible steps.
    private readonly List<string> _members = [];
    private readonly List<string> _teams = [];
    private readonly List<string> _groups = [];
    private readonly List<Message> _inmails = [];
    private readonly List<Message> _messages = [];
    private readonly List<(string Actor, string Key, SendRequest Request, string MessageId)> _keyed = [];
    private readonly List<string> _buffer = [];
    private string? _lastSender;
    private string? _lastRecipient;
    private int _burst;
    private string? _burstSender;
    private string? _burstRecipient;
    private string? _focus;
    private bool _lazy;
    private int _nextMember;
    private int _nextTeam;
    private int _nextKey;
    private int _nextExplicitId;

    // Bookkeeping for reports.
    private readonly Queue<Done> _recent = new();
    private readonly Dictionary<(string Kind, RefusalCode? Refusal), int> _outcomes = [];
    private int _stepNumber;
    private int _plannedSteps;

    /// <param name="seed">Chooses every step.</param>
    /// <param name="trace">Receives a line per step, when given.</param>
    /// <param name="workingSet">
    /// Runs the engine as a working set (decision 007): after every step everything is written to a
    /// <see cref="MemoryStateSource"/> and evicted, so each step starts with nothing in memory and
    /// loads what it touches. The run must give exactly the state of one that never evicts.
    /// </param>
    /// <param name="conversationsInDocument">
    /// With <paramref name="workingSet"/>: how many conversations a member's document lists
    /// (<see cref="InMailState.ConversationsInMemberDocument"/>); the rest are found in the source.
    /// </param>
    public Simulator(int seed, Action<string>? trace = null, bool workingSet = false, int? conversationsInDocument = null)
    {
        _seed = seed;
        _rng = new Random(seed);
        _engine = new InMailEngine(PlanCatalog.Default);
        if (workingSet)
        {
            _source = new MemoryStateSource();
            _engine.State.Attach(_source, PlanCatalog.Default);
            _engine.State.ConversationsInMemberDocument = conversationsInDocument ?? _engine.State.ConversationsInMemberDocument;
        }
        _invariants = new Invariants(_engine);
        _trace = trace;
        Now = Starts[Math.Abs(seed % Starts.Length)].AddMinutes(_rng.Next(0, 3) * 7);
        _generators =
        [
            (2, AddMember), (4, Settings), (3, Connect), (3, Invite), (3, AnswerInvitation), (1, Disconnect),
            (1, Block), (2, Unblock), (3, JoinGroup), (1, LeaveGroup),
            (4, Subscribe), (2, ChangePlan), (2, Cancel),
            (1, CreateTeam), (2, AddSeat), (1, RemoveSeat), (1, SetSeatCap), (1, CancelTeam),
            (2, Buy), (2, Bonus),
            (30, Send), (3, KeyedSend), (2, StartBurst),
            (12, Respond), (2, ReportSpam),
            (2, QuoteOnly), (2, CreditsView), (1, BalanceView), (1, MarkRead),
            (16, TimeJump),
            (2, SaveTemplate), (3, ScheduleSend), (1, CancelSchedule), (1, SaveSequence), (3, Enroll), (1, Unenroll),
        ];
        _totalWeight = _generators.Sum(g => g.Weight);
    }

    public DateTimeOffset Now { get; private set; }
    public InMailEngine Engine => _engine;

    /// <summary>Steps by kind and outcome ("send ok", "send no-credits", ...).</summary>
    public SortedDictionary<string, int> Outcomes => new(
        _outcomes.ToDictionary(kv => $"{kv.Key.Kind} {kv.Key.Refusal?.ToCode() ?? "ok"}", kv => kv.Value),
        StringComparer.Ordinal);

    /// <summary>Interesting things seen in the ledger and during steps (refund lots, clipped grants, boundary refunds...).</summary>
    public IReadOnlyDictionary<string, int> Seen => _invariants.Seen;

    private InMailState State => _engine.State;

    /// <summary>Runs <paramref name="steps"/> steps and returns the canonical snapshot of the final state, taken from scratch.</summary>
    public List<string[]> Run(int steps)
    {
        _plannedSteps = steps;
        Setup();
        for (_stepNumber = 1; _stepNumber <= steps; _stepNumber++)
        {
            var step = NextStep();
            Execute(step);
            if (_stepNumber % FreshSnapshotEvery == 0 || _stepNumber == steps)
            {
                CheckSnapshotCache(step);
            }
        }
        return _fresh;
    }

    /// <summary>
    /// The snapshot kept step by step (from caches, partly rescanned) must be exactly one taken
    /// from scratch: otherwise the refused-step comparisons could have missed something.
    /// </summary>
    private void CheckSnapshotCache(Step step)
    {
        _fresh = new Snapshotter().Take(State);
        if (Snapshotter.FirstDifference(_fresh, _after) is { } diff)
        {
            throw Failure(step, null, [$"the snapshot kept from step to step differs from one taken from scratch: {diff}"]);
        }
    }

    /// <summary>A few lines on what the run did, for the test output.</summary>
    public string Summary()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"seed {_seed}: {_plannedSteps} steps from {F(Starts[Math.Abs(_seed % Starts.Length)])} to {F(Now)}; ");
        sb.Append(CultureInfo.InvariantCulture, $"{State.MemberIndex.Count} members, {State.TeamIndex.Count} teams, {State.MessageIndex.Count} messages, {State.Wallets.Sum(w => w.Ledger.Count)} ledger entries\n");
        sb.Append("  seen: ").AppendJoin(", ", Seen.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")).Append('\n');
        sb.Append("  outcomes: ").AppendJoin(", ", Outcomes.Select(kv => $"{kv.Key}={kv.Value}"));
        return sb.ToString();
    }

    // ---------------------------------------------------------------- running a step

    private enum Timing
    {
        /// <summary>An action at the current instant; grants it writes are under the plans after it.</summary>
        Action,

        /// <summary>Only the clock moves; grants written while catching up are under the plans before.</summary>
        TimeJump,

        /// <summary>The clock moves and an action happens at once, without catching up first.</summary>
        JumpThenAct,
    }

    /// <summary>A step: what it is, how to carry it out, and the conversations (pairs of members) it may touch.</summary>
    private sealed record Step(string Kind, string Description, Func<StepResult> Run, Timing Timing = Timing.Action)
    {
        public MemberPair[] Touches { get; init; } = [];
    }

    /// <summary>What a step did: its refusal, whether it must have changed nothing, and a model check that failed.</summary>
    private readonly record struct StepResult(Refusal? Refusal, bool MustNotChange, string? Violation, string? Note = null);

    private static StepResult Result<T>(Outcome<T> outcome, string? violation = null) =>
        new(outcome.IsSuccess ? null : outcome.Refusal, !outcome.IsSuccess, violation);

    private void Setup()
    {
        var step = new Step("setup", "create groups and the first members", () =>
        {
            for (var g = 0; g < GroupCount; g++)
            {
                var id = $"g{g}";
                _ = _engine.CreateGroup(id, $"Group {g}").Value;
                _groups.Add(id);
            }
            for (var i = 0; i < InitialMembers; i++)
            {
                var id = $"m{_nextMember++}";
                _ = _engine.AddMember(Now, id, new Profile($"Member {id}")).Value;
                _members.Add(id);
            }
            return new StepResult(null, false, null);
        });
        Execute(step);
    }

    private void Execute(Step step)
    {
        var clock = Now;
        var contexts = step.Timing == Timing.Action ? null : _invariants.CaptureGrantContexts();
        _dueTouched.Clear();
        StepResult result;
        _lazy = step.Timing == Timing.JumpThenAct;
        try
        {
            if (_source is not null)
            {
                // Everything is durable in the source (saved after the last step): start from nothing.
                _engine.State.EvictAll();
            }
            result = step.Run();
            if (_source is not null)
            {
                // Commit what the step changed, forget it, and bring the whole system back for the checks.
                _source.Save(_engine.State);
                _engine.State.EvictAll();
                _source.LoadAll(_engine.State);
                RefreshMessages();
            }
        }
        catch (Exception e) when (e is not SimulationFailureException)
        {
            throw Failure(step, null, [$"the engine threw {e.GetType().Name}: {e.Message}"], e);
        }
        finally
        {
            _lazy = false;
        }
        var violations = new List<string>();
        if (Now < clock)
        {
            violations.Add($"the clock went back from {F(clock)} to {F(Now)}");
        }
        if (result.Violation is { } v)
        {
            violations.Add(v);
        }
        try
        {
            _engine.CatchUpAll(Now);
            _source?.Save(_engine.State);
        }
        catch (Exception e)
        {
            throw Failure(step, result, [$"catching up to {F(Now)} threw {e.GetType().Name}: {e.Message}"], e);
        }
        // The snapshot after a step (caught up to now) is the "before" of the next one. An action
        // happens at the instant the state was already caught up to, so catching up again after it
        // changes nothing: a refused, replayed or read-only step must leave the snapshot as it was.
        (_before, _after) = (_after, _before);
        var full = _stepNumber % FullScanEvery == 0 || _source is not null;
        // A working set reloads its objects after every step: the cached snapshotter keys its caches by object, so take a fresh one.
        var snapshotter = _source is null ? _snapshotter : new Snapshotter();
        snapshotter.Take(State, _after, _dueTouched.Count == 0 ? step.Touches : [.. step.Touches, .. _dueTouched], full);
        violations.AddRange(snapshotter.UnaccountedChanges);
        if (result.MustNotChange && step.Timing == Timing.Action && Snapshotter.FirstDifference(_before, _after) is { } diff)
        {
            var what = result.Refusal is { } r ? $"refused ({r.CodeText})" : "read-only or replayed";
            violations.Add($"a {what} step changed the state: {diff}");
        }
        IReadOnlyDictionary<WalletId, GrantContext>? after = null;
        _invariants.Check(Now, () => contexts ?? (after ??= _invariants.CaptureGrantContexts()), snapshotter.ChangedConversations, violations);
        var outcome = result.Refusal?.Code;
        _outcomes[(step.Kind, outcome)] = _outcomes.GetValueOrDefault((step.Kind, outcome)) + 1;
        if (violations.Count > 0)
        {
            throw Failure(step, result, violations);
        }
        var done = new Done(_stepNumber, Now, step.Description, result);
        _trace?.Invoke(done.ToString());
        _recent.Enqueue(done);
        if (_recent.Count > 12)
        {
            _recent.Dequeue();
        }
    }

    /// <summary>A step carried out, for the trace and the failure message (formatted only when shown).</summary>
    private sealed record Done(int Number, DateTimeOffset At, string Description, StepResult Result)
    {
        public override string ToString() =>
            $"#{Number} {F(At)} {Description} → {Result.Refusal?.CodeText ?? "ok"}{(Result.Note is null ? "" : $" ({Result.Note})")}";
    }

    private SimulationFailureException Failure(Step step, StepResult? result, List<string> violations, Exception? inner = null)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Simulation failed: seed {_seed}, step {_stepNumber} of {_plannedSteps}, at {F(Now)}: {step.Description}\n");
        if (result is { } r)
        {
            sb.Append(CultureInfo.InvariantCulture, $"  outcome: {(r.Refusal is { } refusal ? refusal.ToString() : "ok")}{(r.Note is null ? "" : $" ({r.Note})")}\n");
        }
        sb.Append("  violations:\n");
        foreach (var v in violations.Take(20))
        {
            sb.Append("   - ").Append(v).Append('\n');
        }
        if (violations.Count > 20)
        {
            sb.Append(CultureInfo.InvariantCulture, $"   ... and {violations.Count - 20} more\n");
        }
        sb.Append("  the steps before it:\n");
        foreach (var done in _recent)
        {
            sb.Append("    ").Append(done).Append('\n');
        }
        sb.Append(CultureInfo.InvariantCulture, $"  replay: {SeedVariable}={_seed} {StepsVariable}={Math.Max(_stepNumber, 1)} {TraceVariable}=1 dotnet test tests/InMail.Domain.Tests --filter \"FullyQualifiedName~Simulation.SimulationTests.Replay_from_environment\"");
        return inner is null ? new SimulationFailureException(sb.ToString()) : new SimulationFailureException(sb.ToString(), inner);
    }

    // ---------------------------------------------------------------- choosing a step

    private Step NextStep()
    {
        // The inbox workspace's steps draw from their own generator, so adding them left every
        // other step of a seed as it was (and what each seed is known to reach).
        if (_workspace.Next(100) < WorkspacePercent && WorkspaceStep() is { } workspace)
        {
            return workspace;
        }
        if (_burst > 0)
        {
            _burst--;
            return BurstSend();
        }
        if (_focus is { } focus)
        {
            _focus = null;
            if (_rng.Next(100) < 92 && State.FindMessage(focus) is { } target && RespondTo(target, target.To) is { } respond)
            {
                return respond;
            }
        }
        var roll = _rng.Next(_totalWeight);
        foreach (var (weight, make) in _generators)
        {
            if (roll < weight)
            {
                return make() ?? SmallJump();
            }
            roll -= weight;
        }
        throw new InvalidOperationException("weights do not add up");
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    private bool Chance(int percent) => _rng.Next(100) < percent;

    private string PickMember() => Pick(_members);

    private Member M(string id) => State.FindMember(id)!;

    /// <summary>In a working set the messages the simulation remembers are copies from before the last eviction: take the ones in memory now.</summary>
    private void RefreshMessages()
    {
        for (var i = 0; i < _messages.Count; i++)
        {
            _messages[i] = State.FindMessage(_messages[i].Id)!;
        }
        for (var i = 0; i < _inmails.Count; i++)
        {
            _inmails[i] = State.FindMessage(_inmails[i].Id)!;
        }
    }

    private bool IsPaidModel(Member m) => m.Subscription is not null || State.FindTeam(m.TeamId) is { IsActive: true };

    /// <summary>
    /// A member on a paid plan, most of the time, when there is one; often the last sender again,
    /// so bursts reach the daily limits, run out of credits and draw spam reports.
    /// </summary>
    private string PickSender()
    {
        if (_lastSender is { } last && Chance(35))
        {
            return last;
        }
        if (Chance(80))
        {
            var paid = Members(id => IsPaidModel(M(id)));
            if (paid.Count > 0)
            {
                return Pick(paid);
            }
        }
        return PickMember();
    }

    private string PickFreeMember()
    {
        var free = Members(id => M(id) is { Subscription: null, TeamId: null });
        return free.Count > 0 && Chance(85) ? Pick(free) : PickMember();
    }

    /// <summary>The members that match, in a reused buffer (valid until the next call).</summary>
    private List<string> Members(Func<string, bool> match)
    {
        _buffer.Clear();
        foreach (var id in _members)
        {
            if (match(id))
            {
                _buffer.Add(id);
            }
        }
        return _buffer;
    }

    private static List<string> SortedList(IEnumerable<string> items) => items.Order(StringComparer.Ordinal).ToList();

    // ---------------------------------------------------------------- members, settings, network

    private Step? AddMember()
    {
        if (_members.Count >= MaxMembers)
        {
            return null;
        }
        var id = Chance(5) ? PickMember() : Chance(3) ? "bad id!" : $"m{_nextMember++}";
        var inmail = !Chance(10);
        var groupMessages = !Chance(15);
        var tz = Chance(30) ? "Europe/Paris" : null;
        return new Step("member", $"add member {id} inmail={inmail} group-messages={groupMessages}", () =>
        {
            var o = _engine.AddMember(Now, id, new Profile($"Member {id}", TimeZone: tz), inmail, groupMessages);
            if (o.IsSuccess)
            {
                _members.Add(id);
            }
            return Result(o);
        });
    }

    private Step Settings()
    {
        var m = PickMember();
        var which = _rng.Next(3);
        var on = which == 1 ? !Chance(25) : Chance(60);
        return new Step("settings", $"{m} sets {(which == 0 ? "open-profile" : which == 1 ? "inmail" : "group-messages")}={on}", () =>
            Result(_engine.ChangeSettings(Now, m, openProfile: which == 0 ? on : null, inmail: which == 1 ? on : null, groupMessages: which == 2 ? on : null)));
    }

    private Step Connect()
    {
        var (a, b) = (PickMember(), PickMember());
        return new Step("connect", $"connect {a} and {b}", () => Result(_engine.Connect(Now, a, b)));
    }

    private Step Invite()
    {
        var (a, b) = (PickMember(), PickMember());
        var note = _rng.Next(6) switch
        {
            0 or 1 or 2 => null,
            3 => "Let's connect",
            4 => new string('n', 250),
            _ => Chance(50) ? new string('n', 301) : "  ",
        };
        return new Step("invite", $"{a} invites {b} with a note of {note?.Length.ToString(CultureInfo.InvariantCulture) ?? "none"}", () => Result(_engine.Invite(Now, a, b, note)));
    }

    private Step AnswerInvitation()
    {
        var pending = State.InvitationIndex.Keys.OrderBy(k => k.From, StringComparer.Ordinal).ThenBy(k => k.To, StringComparer.Ordinal).ToList();
        var (from, to) = pending.Count > 0 && Chance(90) ? Pick(pending) : (PickMember(), PickMember());
        var how = _rng.Next(3);
        return how switch
        {
            0 => new Step("accept-invite", $"{to} accepts {from}'s invitation", () => Result(_engine.AcceptInvitation(Now, from, to))),
            1 => new Step("ignore-invite", $"{to} ignores {from}'s invitation", () => Result(_engine.IgnoreInvitation(Now, from, to))),
            _ => new Step("withdraw-invite", $"{from} withdraws the invitation to {to}", () => Result(_engine.WithdrawInvitation(Now, from, to))),
        };
    }

    private Step Disconnect()
    {
        var a = PickMember();
        var connections = SortedList(M(a).Connections);
        var b = connections.Count > 0 && Chance(90) ? Pick(connections) : PickMember();
        return new Step("disconnect", $"{a} disconnects from {b}", () => Result(_engine.Disconnect(Now, a, b)));
    }

    private Step Block()
    {
        var (a, b) = (PickMember(), PickMember());
        return new Step("block", $"{a} blocks {b}", () => Result(_engine.Block(Now, a, b)));
    }

    private Step? Unblock()
    {
        var blockers = _members.Where(id => M(id).Blocked.Count > 0).ToList();
        if (blockers.Count == 0)
        {
            return null;
        }
        var a = Pick(blockers);
        var b = Pick(SortedList(M(a).Blocked));
        return new Step("unblock", $"{a} unblocks {b}", () => Result(_engine.Unblock(Now, a, b)));
    }

    private Step JoinGroup()
    {
        var (m, g) = (PickMember(), Chance(97) ? Pick(_groups) : "no-such-group");
        return new Step("join-group", $"{m} joins {g}", () => Result(_engine.JoinGroup(Now, m, g)));
    }

    private Step LeaveGroup()
    {
        var m = PickMember();
        var groups = SortedList(M(m).Groups);
        var g = groups.Count > 0 && Chance(90) ? Pick(groups) : Pick(_groups);
        return new Step("leave-group", $"{m} leaves {g}", () => Result(_engine.LeaveGroup(Now, m, g)));
    }

    // ---------------------------------------------------------------- plans and teams

    private string PickPlan(bool allowTeam) =>
        allowTeam && Chance(4) ? TeamPlan : Chance(2) ? "no-such-plan" : Pick(PersonalPlans);

    private BillingPeriod PickBilling() => Chance(35) ? BillingPeriod.Annual : BillingPeriod.Monthly;

    private Step Subscribe()
    {
        var m = PickFreeMember();
        var (plan, billing) = (PickPlan(allowTeam: true), PickBilling());
        return new Step("subscribe", $"{m} subscribes to {plan} ({billing})", () =>
        {
            var o = _engine.Subscribe(Now, m, plan, billing);
            string? violation = null;
            if (o.IsSuccess && (o.Value.Anchor != Now || o.Value.NextCycle != 1 || M(m).Subscription != o.Value))
            {
                violation = $"a new subscription must be anchored now with its first grant made (anchor {F(o.Value.Anchor)}, next cycle {o.Value.NextCycle})";
            }
            return Result(o, violation);
        });
    }

    private Step ChangePlan()
    {
        var subscribed = _members.Where(id => M(id).Subscription is not null).ToList();
        var m = subscribed.Count > 0 && Chance(90) ? Pick(subscribed) : PickMember();
        var (plan, billing) = (Chance(20) ? "basic" : PickPlan(allowTeam: true), PickBilling());
        return new Step("change-plan", $"{m} changes plan to {plan} ({billing})", () =>
        {
            var before = M(m).Subscription;
            var resuming = before is { EndsAt: not null } && before.Plan.Id == plan && before.Billing == billing;
            var liveBefore = M(m).Wallet.LiveLots.Count;
            var o = _engine.ChangePlan(Now, m, plan, billing);
            string? violation = null;
            if (o.IsSuccess && resuming && before is not null)
            {
                // Choosing the plan being cancelled resumes it: same subscription, nothing forfeited.
                violation = o.Value != before || before.EndsAt is not null || M(m).Wallet.LiveLots.Count != liveBefore
                    ? $"resuming {plan} must keep the subscription anchored {F(before.Anchor)} and every lot, and clear the cancellation"
                    : null;
            }
            else if (o.IsSuccess)
            {
                var member = M(m);
                var staleAllowance = member.Wallet.LiveLots.Where(l => l.Source == LotSource.Allowance && l.GrantedAt != Now).ToList();
                if (staleAllowance.Count > 0)
                {
                    violation = $"after a plan change the old allowance lots must be forfeited; lot {staleAllowance[0].Id} granted {F(staleAllowance[0].GrantedAt)} is still live";
                }
                else if (o.Value is { } sub ? sub.Anchor != Now || member.Subscription != sub : member.Subscription is not null || plan != "basic")
                {
                    violation = $"after changing to {plan} the member is on {member.Subscription?.Plan.Id ?? "basic"} anchored {F(member.Subscription?.Anchor)}";
                }
            }
            return Result(o, violation);
        });
    }

    private Step Cancel()
    {
        var subscribed = _members.Where(id => M(id).Subscription is not null).ToList();
        var m = subscribed.Count > 0 && Chance(90) ? Pick(subscribed) : PickMember();
        return new Step("cancel", $"{m} cancels", () =>
        {
            var sub = M(m).Subscription;
            var already = sub?.EndsAt;
            var o = _engine.Cancel(Now, m);
            if (!o.IsSuccess || sub is null)
            {
                return Result(o);
            }
            var expected = already ?? ExpectedPaidPeriodEnd(sub, Now);
            var violation = o.Value != expected || sub.EndsAt != expected
                ? $"cancelling {sub.Plan.Id} ({sub.Billing}, anchored {F(sub.Anchor)}) at {F(Now)} must end it at {F(expected)}, not {F(o.Value)}"
                : null;
            return new StepResult(null, already is not null, violation, $"ends {F(o.Value)}");
        });
    }

    /// <summary>The end of the paid period holding <paramref name="now"/>: the next cycle start, or on annual billing the next year's.</summary>
    private static DateTimeOffset ExpectedPaidPeriodEnd(Subscription sub, DateTimeOffset now)
    {
        var k = 1;
        while (UtcCalendar.AddMonths(sub.Anchor, k) <= now)
        {
            k++;
        }
        if (sub.Billing == BillingPeriod.Annual)
        {
            k = (k + 11) / 12 * 12;
        }
        return UtcCalendar.AddMonths(sub.Anchor, k);
    }

    private Step? CreateTeam()
    {
        if (_teams.Count(t => State.TeamIndex[t].IsActive) >= MaxActiveTeams)
        {
            return null;
        }
        var id = Chance(3) && _teams.Count > 0 ? Pick(_teams) : $"t{_nextTeam++}";
        var seats = new List<string>();
        var size = 1 + _rng.Next(4);
        for (var i = 0; i < size; i++)
        {
            var m = Chance(90) ? PickFreeMember() : PickMember();
            if (!seats.Contains(m))
            {
                seats.Add(m);
            }
        }
        int? seatCap = Chance(50) ? null : _rng.Next(0, 25);
        var plan = Chance(95) ? TeamPlan : "premium-business";
        var billing = PickBilling();
        return new Step("team", $"create team {id} on {plan} ({billing}) seats=[{string.Join(',', seats)}] seat-cap={seatCap?.ToString(CultureInfo.InvariantCulture) ?? "none"}", () =>
        {
            var o = _engine.CreateTeam(Now, id, plan, billing, seats, seatCap);
            if (o.IsSuccess)
            {
                _teams.Add(id);
            }
            return Result(o);
        });
    }

    private string PickTeam()
    {
        var active = _teams.Where(t => State.TeamIndex[t].IsActive).ToList();
        return active.Count > 0 && Chance(92) ? Pick(active) : _teams.Count > 0 && Chance(80) ? Pick(_teams) : "no-such-team";
    }

    private Step AddSeat()
    {
        var (team, m) = (PickTeam(), PickFreeMember());
        return new Step("team-add", $"team {team} gives {m} a seat", () => Result(_engine.AddSeat(Now, team, m)));
    }

    private Step RemoveSeat()
    {
        var team = PickTeam();
        var seats = State.FindTeam(team)?.Seats ?? [];
        var m = seats.Count > 0 && Chance(90) ? Pick(seats) : PickMember();
        return new Step("team-remove", $"team {team} takes {m}'s seat", () => Result(_engine.RemoveSeat(Now, team, m)));
    }

    private Step SetSeatCap()
    {
        var team = PickTeam();
        int? cap = Chance(30) ? null : Chance(5) ? -1 : _rng.Next(0, 12);
        return new Step("seat-cap", $"team {team} caps seats at {cap?.ToString(CultureInfo.InvariantCulture) ?? "none"}", () => Result(_engine.SetSeatCap(Now, team, cap)));
    }

    private Step? CancelTeam()
    {
        if (!Chance(40))
        {
            return null;
        }
        var team = PickTeam();
        return new Step("cancel-team", $"team {team} cancels", () =>
        {
            var already = State.FindTeam(team)?.Subscription.EndsAt;
            var o = _engine.CancelTeam(Now, team);
            return o.IsSuccess ? new StepResult(null, already is not null, null, $"ends {F(o.Value)}") : Result(o);
        });
    }

    // ---------------------------------------------------------------- credits

    private Step Buy()
    {
        var m = PickSender();
        var pack = Pick(Packs);
        return new Step("buy", $"{m} buys a pack of {pack}", () =>
        {
            var o = _engine.Buy(Now, m, pack);
            var violation = o.IsSuccess && (o.Value.Granted != pack || o.Value.Source != LotSource.Purchase || !IsPaidModel(M(m)))
                ? $"bought a pack of {pack} but got lot {o.Value.Id} of {o.Value.Granted} {o.Value.Source}"
                : null;
            return Result(o, violation);
        });
    }

    private Step Bonus()
    {
        var m = PickMember();
        var credits = Chance(4) ? 0 : 1 + _rng.Next(30);
        var days = 1 + _rng.Next(120);
        return new Step("grant", $"operator grants {m} {credits} bonus credits for {days} days", () =>
        {
            var o = _engine.GrantBonus(Now, m, credits, days, "promotion");
            var violation = o.IsSuccess && (o.Value.Granted != credits || o.Value.Expires != UtcCalendar.AddDays(Now, days))
                ? $"a bonus of {credits} for {days} days became lot {o.Value.Id} of {o.Value.Granted} expiring {F(o.Value.Expires)}"
                : null;
            return Result(o, violation);
        });
    }

    // ---------------------------------------------------------------- sending

    private (string From, string To, string How) PickPair()
    {
        var s = PickSender();
        var sender = M(s);
        switch (_rng.Next(10))
        {
            case 0:
                var connections = SortedList(sender.Connections);
                if (connections.Count > 0)
                {
                    return (s, Pick(connections), "connection");
                }
                break;
            case 1 or 2:
                var open = Members(id => M(id).OpenProfile && id != s);
                if (open.Count > 0)
                {
                    return (s, Pick(open), "open-profile");
                }
                break;
            case 3 or 4 or 5:
                var groups = SortedList(sender.Groups);
                if (groups.Count > 0)
                {
                    var fellows = SortedList(State.GroupIndex[Pick(groups)].Members.Where(id => id != s));
                    if (fellows.Count > 0)
                    {
                        return (s, Pick(fellows), "group member");
                    }
                }
                break;
            case 6 or 7 or 8:
                // Someone only a paid InMail reaches: no connection, no open conversation, no Open Profile, no group path.
                var cold = Members(id => id != s && Cold(sender, M(id)));
                if (cold.Count > 0)
                {
                    return (s, Pick(cold), "cold");
                }
                break;
            case 9:
                if (_inmails.Count > 0)
                {
                    var m = _inmails[^(1 + _rng.Next(Math.Min(_inmails.Count, RecentWindow)))];
                    return (m.To, m.From, "writes back");
                }
                break;
        }
        return (s, _lastRecipient is { } r && Chance(25) ? r : PickMember(), "stranger");
    }

    private bool Cold(Member s, Member r) =>
        !s.Connections.Contains(r.Id)
        && State.FindConversation(s.Id, r.Id)?.HasWritten(r.Id) != true
        && !(r.OpenProfile && IsPaidModel(r))
        && !(r.GroupMessagesEnabled && s.Groups.Overlaps(r.Groups));

    /// <summary>
    /// Starts a burst of sends with no time between them: one sender to many (to reach the daily
    /// limit and run out of credits), or many senders to one recipient (the weekly recipient limit).
    /// </summary>
    private Step StartBurst()
    {
        if (Chance(60))
        {
            // The sender with the lowest daily limit of a few paid ones: it reaches it, and runs dry.
            var candidates = Enumerable.Range(0, 3).Select(_ => PickSender()).ToList();
            _burstSender = candidates.OrderBy(id => _engine.PlanOf(M(id)).DailyInMailLimit).ThenBy(id => id, StringComparer.Ordinal).First();
            _burstRecipient = null;
            _burst = 8 + _rng.Next(20);
            if (Chance(60))
            {
                // Credits first, so the burst meets the daily limit rather than running dry.
                var sender = _burstSender;
                return new Step("grant", $"operator grants {sender} 40 bonus credits for 30 days before a burst", () =>
                    Result(_engine.GrantBonus(Now, sender, 40, 30, "burst")));
            }
        }
        else
        {
            (_burstSender, _burstRecipient) = (null, PickMember());
            _burst = 18 + _rng.Next(20);
        }
        return BurstSend();
    }

    private Step BurstSend()
    {
        var from = _burstSender ?? PickSender();
        string to;
        if (_burstRecipient is { } fixedRecipient)
        {
            to = fixedRecipient;
        }
        else
        {
            var sender = M(from);
            var reachable = Members(id => id != from && (Cold(sender, M(id)) || (M(id).OpenProfile && IsPaidModel(M(id)))));
            to = reachable.Count > 0 ? Pick(reachable) : PickMember();
        }
        var request = new SendRequest(from, to, "Quick question", "Do you have five minutes this week?");
        return new Step("send", $"{from} sends to {to} (burst, {_burst} more)", () =>
        {
            var model = Expect(request);
            return CheckSent(_engine.Send(Now, request), model);
        })
        {
            Touches = [new(from, to)],
        };
    }

    /// <summary>A subject and body, mostly fine, sometimes breaking a content rule; the label says which.</summary>
    private (string? Subject, string? Body, string Label) PickText()
    {
        var n = _rng.Next(1000);
        return _rng.Next(40) switch
        {
            0 => ("  ", $"Body {n}", ", blank subject"),
            1 => (new string('s', 201), $"Body {n}", ", 201-character subject"),
            2 => ($"Subject {n}", "bad \u0007 bell", ", control character in the body"),
            3 => ($"Subject {n}", new string('b', 1901), ", 1,901-character body"),
            4 => ($"Subject {n}", null, ", no body"),
            5 => ("Hi 👋🏽", "Café ☕ 🇫🇷 <b>not bold</b>", ", emoji and markup"),
            _ => ($"Subject {n}", $"Body {n}", ""),
        };
    }

    private Step Send()
    {
        var (from, to, how) = PickPair();
        var (subject, body, label) = PickText();
        string? id = null;
        if (Chance(12))
        {
            id = Chance(30) && _messages.Count > 0 ? Pick(_messages).Id : Chance(20) ? $"msg-{State.MessageIndex.Count + 3}" : $"x{_nextExplicitId++}";
        }
        var request = new SendRequest(from, to, subject, body);
        if (State.MessageIndex.Count % 7 == 3)
        {
            // Every seventh or so carries files (SPEC §11), chosen without drawing from the random stream, so seeds keep their runs:
            // the files must survive documents, eviction and the log like everything else on a message.
            request = request with { Attachments = [new("cv.pdf", 1000 + State.MessageIndex.Count, Domain.Messaging.AttachmentTypes.Pdf), new("notes.txt", 42, Domain.Messaging.AttachmentTypes.Text, $"f{State.MessageIndex.Count}")] };
        }
        return new Step("send", $"{from} sends to {to} ({how}{label}){(id is null ? "" : $" as {id}")}", () =>
        {
            var model = Expect(request);
            var o = _engine.Send(Now, request, id);
            return CheckSent(o, model);
        })
        { Touches = [new(from, to)] };
    }

    private Step? KeyedSend()
    {
        if (_keyed.Count > 0 && Chance(60))
        {
            var (actor, key, request, messageId) = Pick(_keyed);
            var same = Chance(70);
            var payload = same ? request : request with { Body = request.Body + " (edited)" };
            return new Step("send-retry", $"{actor} retries key {key} with {(same ? "the same" : "another")} payload", () =>
            {
                var o = _engine.Idempotently(Now, actor, key, payload, () => _engine.Send(Now, payload));
                string? violation = null;
                if (same && (!o.IsSuccess || !o.Value.Replayed || o.Value.Value.Message.Id != messageId))
                {
                    violation = $"a retry with the same key and payload must return the first result ({messageId}), not {(o.IsSuccess ? o.Value.Value.Message.Id : o.Refusal.CodeText)}";
                }
                if (!same && (o.IsSuccess || o.Refusal.Code != RefusalCode.IdempotencyConflict))
                {
                    violation = $"a retry with the same key and another payload must be refused with idempotency-conflict, not {(o.IsSuccess ? "sent" : o.Refusal.CodeText)}";
                }
                return new StepResult(o.IsSuccess ? null : o.Refusal, true, violation, o.IsSuccess && o.Value.Replayed ? "replayed" : null);
            })
            { Touches = [new(actor, payload.To)] };
        }
        var (from, to, how) = PickPair();
        var (subject, body, label) = PickText();
        var newKey = $"key-{_nextKey++}";
        var req = new SendRequest(from, to, subject, body);
        return new Step("send-keyed", $"{from} sends to {to} ({how}{label}) with key {newKey}", () =>
        {
            var model = Expect(req);
            var o = _engine.Idempotently(Now, from, newKey, req, () => _engine.Send(Now, req));
            if (o.IsSuccess)
            {
                _keyed.Add((from, newKey, req, o.Value.Value.Message.Id));
                if (o.Value.Replayed)
                {
                    return new StepResult(null, false, "a first request with a fresh key was answered as a replay");
                }
            }
            return CheckSent(o.IsSuccess ? Outcome<Sent>.Success(o.Value.Value) : Outcome<Sent>.Refused(o.Refusal), model);
        })
        { Touches = [new(from, to)] };
    }

    /// <summary>What the model expects of a send, worked out before it: the path and the lot the credit comes from.</summary>
    private sealed record SendModel(SendPath Path, Lot? Lot, bool SeatCapped, int SenderCredits);

    private SendModel? Expect(SendRequest request)
    {
        // In a jump-then-act step the engine has not caught up yet, so the model would read stale lots.
        if (_lazy || State.FindMember(request.From) is not { } s || State.FindMember(request.To) is not { } r || s == r)
        {
            return null;
        }
        var conversation = State.FindConversation(s.Id, r.Id);
        var path =
            s.Connections.Contains(r.Id) || conversation?.HasWritten(r.Id) == true ? SendPath.Message
            : r.OpenProfile && IsPaidModel(r) ? SendPath.OpenProfile
            : r.GroupMessagesEnabled && s.GroupMessagesSent.CountIn(Now) < _engine.Catalog.Policy.GroupMessagesPerMonth && s.Groups.Overlaps(r.Groups) ? SendPath.Group
            : SendPath.InMail;
        var candidates = s.Wallet.LiveLots.Where(l => l.Remaining > 0 && l.Expires > Now).ToList();
        var capped = false;
        if (State.FindTeam(s.TeamId) is { IsActive: true } team)
        {
            capped = team.SeatCap is { } cap && _invariants.PoolSpent(team, s.Id, Now) >= cap;
            if (!capped)
            {
                candidates.AddRange(team.Pool.LiveLots.Where(l => l.Remaining > 0 && l.Expires > Now));
            }
        }
        // SPEC §3: the live lot that expires first; ties: the earlier grant, then the earlier lot.
        // Lots are numbered per wallet, so at a full tie the seat's own lot goes before the pool's.
        Lot? lot = null;
        foreach (var c in candidates)
        {
            if (lot is null || (c.Expires, c.GrantedAt, (int)c.Wallet.Owner, c.Id).CompareTo((lot.Expires, lot.GrantedAt, (int)lot.Wallet.Owner, lot.Id)) < 0)
            {
                lot = c;
            }
        }
        return new SendModel(path, lot, capped, candidates.Sum(l => l.Remaining));
    }

    private StepResult CheckSent(Outcome<Sent> o, SendModel? model)
    {
        if (!o.IsSuccess)
        {
            string? refusedViolation = null;
            if (model is not null && o.Refusal.Code is RefusalCode.NoCredits or RefusalCode.SeatCapReached)
            {
                var expected = model.SeatCapped ? RefusalCode.SeatCapReached : RefusalCode.NoCredits;
                if (model.Lot is not null || o.Refusal.Code != expected || model.Path != SendPath.InMail)
                {
                    refusedViolation = $"refused {o.Refusal.CodeText}, but the model expects {(model.Lot is { } l ? $"lot {l.Id} to pay" : expected.ToCode())} on path {model.Path.ToName()}";
                }
            }
            return Result(o, refusedViolation);
        }
        var sent = o.Value;
        var m = sent.Message;
        _messages.Add(m);
        (_lastSender, _lastRecipient) = (m.From, m.To);
        if (m.IsInMail)
        {
            _inmails.Add(m);
        }
        string? violation = null;
        if (m.Cost != sent.Quote.Cost || m.Path != sent.Quote.Path)
        {
            violation = $"sent {m.Path.ToName()} at cost {m.Cost} under a quote of {sent.Quote.Path.ToName()} at {sent.Quote.Cost}";
        }
        else if (model is not null && model.Path != m.Path)
        {
            violation = $"sent on path {m.Path.ToName()}, but SPEC §4 picks {model.Path.ToName()}";
        }
        else if (model is not null && m.Path == SendPath.InMail)
        {
            if (model.Lot is null || m.Charge is not { } charge || charge.LotId != model.Lot.Id || charge.Wallet != model.Lot.Wallet)
            {
                var expected = model.Lot is { } l ? $"{l.Wallet} lot {l.Id}" : $"no lot{(model.SeatCapped ? " (the seat cap is reached)" : "")}";
                violation = $"charged {(m.Charge is { } c ? $"{c.Wallet} lot {c.LotId}" : "nothing")}, but the spending order picks {expected}";
            }
            else if (!IsPaidModel(M(m.From)))
            {
                violation = $"{m.From} sent a paid InMail without a paid plan";
            }
        }
        return new StepResult(null, false, violation, $"{m.Id} {m.Path.ToName()} cost {m.Cost}");
    }

    private Step QuoteOnly()
    {
        var (from, to, how) = PickPair();
        var (subject, body, label) = PickText();
        var request = new SendRequest(from, to, subject, body);
        return new Step("quote", $"{from} asks for a quote to {to} ({how}{label})", () =>
        {
            var model = Expect(request);
            var o = _engine.Quote(Now, request);
            string? violation = null;
            if (o.IsSuccess && model is not null && (o.Value.Path != model.Path || (o.Value.Path == SendPath.InMail && (o.Value.ChargedLot?.Id, o.Value.ChargedLot?.Wallet) != (model.Lot?.Id, model.Lot?.Wallet))))
            {
                violation = $"quoted {o.Value.Path.ToName()} from {o.Value.ChargedLot?.Wallet} lot {o.Value.ChargedLot?.Id}, the model expects {model.Path.ToName()} from {model.Lot?.Wallet} lot {model.Lot?.Id}";
            }
            return new StepResult(o.IsSuccess ? null : o.Refusal, true, violation, o.IsSuccess ? $"{o.Value.Path.ToName()} cost {o.Value.Cost}" : null);
        });
    }

    // ---------------------------------------------------------------- responding

    private Step? Respond()
    {
        if (_messages.Count == 0)
        {
            return null;
        }
        if (Chance(4))
        {
            var who = PickMember();
            var id = Chance(50) ? "no-such-message" : Pick(_messages).Id;
            MemberPair[] named = State.FindMessage(id) is { } known ? [new(who, known.From), new(known.From, known.To)] : [];
            return new Step("respond", $"{who} replies to {id}", () => Result(_engine.Respond(Now, who, id, ResponseKind.Reply, "Hello"))) { Touches = named };
        }
        var pool = Chance(75) && _inmails.Count > 0 ? _inmails : _messages;
        var target = pool[^(1 + _rng.Next(Math.Min(pool.Count, RecentWindow)))];
        var responder = Chance(92) ? target.To : PickMember();
        return RespondTo(target, responder);
    }

    private Step? RespondTo(Message target, string responder)
    {
        var kind = _rng.Next(4) switch
        {
            0 => ResponseKind.Accept,
            1 => ResponseKind.Decline,
            _ => ResponseKind.Reply,
        };
        var body = kind == ResponseKind.Reply ? (Chance(8) ? " " : "Thanks!") : Chance(70) ? null : "Sure";
        return new Step("respond", $"{responder} responds {kind.ToName()} to {target.Id} ({target.From}->{target.To}, {target.Path.ToName()}, sent {F(target.SentAt)})", () =>
        {
            // The model: every paid InMail from the sender awaiting this member's response, spent at most 90 days ago, comes back.
            var window = TimeSpan.FromDays(_engine.Catalog.Policy.RefundWindowDays);
            var awaiting = State.FindConversation(target.From, responder)?.AwaitingResponse(target.From).ToList() ?? [];
            var expected = awaiting.Count(m => m.Charge is { } c && m.RefundedAt is null && Now - c.SpentAt <= window);
            var exact = awaiting.Any(m => m.Charge is { } c && Now - c.SpentAt == window);
            var late = awaiting.Any(m => m.Charge is { } c && Now - c.SpentAt > window && Now - c.SpentAt <= window + TimeSpan.FromSeconds(1));
            var o = _engine.Respond(Now, responder, target.Id, kind, body);
            if (!o.IsSuccess)
            {
                return Result(o);
            }
            _messages.Add(o.Value.Response);
            if (exact)
            {
                _invariants.Seen["respond-exactly-at-window-end"] = _invariants.Seen.GetValueOrDefault("respond-exactly-at-window-end") + 1;
            }
            if (late)
            {
                _invariants.Seen["respond-just-after-window-end"] = _invariants.Seen.GetValueOrDefault("respond-just-after-window-end") + 1;
            }
            var violation = o.Value.CreditsRefunded != expected
                ? $"the response refunded {o.Value.CreditsRefunded} credits; {awaiting.Count} InMails awaited it and {expected} of them were paid within {window.TotalDays} days"
                : State.FindMessage(target.Id)!.ReadAt is null ? $"{target.Id} is still unread after a response" : null;
            return new StepResult(null, false, violation, $"refunded {o.Value.CreditsRefunded}");
        })
        { Touches = [new(responder, target.From), new(target.From, target.To)] };
    }

    private Step? ReportSpam()
    {
        if (_inmails.Count == 0)
        {
            return null;
        }
        var pool = Chance(85) ? _inmails : _messages;
        var target = pool[^(1 + _rng.Next(Math.Min(pool.Count, RecentWindow)))];
        var who = Chance(92) ? target.To : PickMember();
        return new Step("report-spam", $"{who} reports {target.Id} ({target.From}->{target.To}) as spam", () =>
        {
            var already = target.ReportedSpamAt is not null;
            var o = _engine.ReportSpam(Now, who, target.Id);
            return o.IsSuccess ? new StepResult(null, already, null) : Result(o);
        })
        { Touches = [new(who, target.From), new(target.From, target.To)] };
    }

    private Step? MarkRead()
    {
        if (_messages.Count == 0)
        {
            return null;
        }
        var m = Pick(_messages);
        return new Step("mark-read", $"{m.To} reads the conversation with {m.From}", () => Result(_engine.MarkRead(Now, m.To, m.From))) { Touches = [new(m.To, m.From)] };
    }

    // ---------------------------------------------------------------- read-only views

    private Step CreditsView()
    {
        var m = PickMember();
        return new Step("credits", $"{m} looks at their credits", () =>
        {
            var o = _engine.Credits(Now, m);
            if (!o.IsSuccess)
            {
                return Result(o);
            }
            var member = M(m);
            var view = o.Value;
            var own = member.Wallet.Balance;
            var pool = 0;
            if (State.FindTeam(member.TeamId) is { IsActive: true } team)
            {
                pool = team.Pool.Balance;
                if (team.SeatCap is { } cap)
                {
                    pool = Math.Min(pool, Math.Max(0, cap - _invariants.PoolSpent(team, m, Now)));
                }
            }
            var paid = IsPaidModel(member);
            var (usable, frozen) = paid ? (own + pool, 0) : (0, own);
            string? violation = null;
            if (view.Usable != usable || view.Frozen != frozen)
            {
                violation = $"{m} sees {view.Usable} usable and {view.Frozen} frozen; the model expects {usable} and {frozen}";
            }
            else if (_engine.CreditsLeft(Now, m) is not { IsSuccess: true } left || left.Value != usable)
            {
                violation = $"{m}'s credits left after a send would say {_engine.CreditsLeft(Now, m).Value}; the model expects {usable}";
            }
            else if (view.Lots.Any(l => l.Remaining <= 0 || !l.IsLiveAt(Now)) || view.Lots.Zip(view.Lots.Skip(1)).Any(p => Lot.SpendingOrder(p.First, p.Second) > 0))
            {
                violation = $"{m}'s lots are not the live lots with credits in spending order";
            }
            return new StepResult(null, true, violation, $"usable {view.Usable}, frozen {view.Frozen}");
        });
    }

    private Step BalanceView()
    {
        var m = PickMember();
        var back = Chance(10) ? -TimeSpan.FromSeconds(1) : TimeSpan.FromHours(_rng.Next(0, 24 * 200)) + TimeSpan.FromTicks(_rng.Next(0, 3));
        return new Step("balance-as-of", $"{m} asks for their balance {back} ago", () =>
        {
            var at = Now - back;
            var o = _engine.BalanceAsOf(Now, m, at);
            if (!o.IsSuccess)
            {
                return Result(o, back < TimeSpan.Zero ? null : $"a balance as of a past instant was refused ({o.Refusal})");
            }
            var expected = M(m).Wallet.Ledger.Where(e => e.At <= at).Sum(e => e.Delta);
            var violation = o.Value.Balance != expected || o.Value.Entries.Sum(e => e.Delta) != expected
                ? $"the balance as of {F(at)} is {o.Value.Balance}, but the entries up to then sum to {expected}"
                : back < TimeSpan.Zero ? "a balance as of the future was answered" : null;
            return new StepResult(null, true, violation, $"{o.Value.Balance} as of {F(at)}");
        });
    }

    // ---------------------------------------------------------------- time

    private Step SmallJump()
    {
        var by = TimeSpan.FromSeconds(1 + _rng.Next(120));
        return JumpTo(Now + by, $"+{by}");
    }

    private Step TimeJump()
    {
        DateTimeOffset target;
        string what;
        // Mostly short jumps; long ones go to the nearest deadlines, so a run covers a few simulated years.
        var roll = _rng.Next(160);
        switch (roll)
        {
            case < 36:
                var seconds = 1 + _rng.Next(59);
                (target, what) = (Now.AddSeconds(seconds), $"+{seconds}s");
                break;
            case < 72:
                var minutes = 1 + _rng.Next(59);
                (target, what) = (Now.AddMinutes(minutes), $"+{minutes}min");
                break;
            case < 104:
                var hours = 1 + _rng.Next(23);
                (target, what) = (Now.AddHours(hours), $"+{hours}h");
                break;
            case < 112:
                (target, what) = (UtcCalendar.AddDays(Now, 1), "+1d");
                break;
            case < 113:
                (target, what) = Chance(50) ? (UtcCalendar.AddMonths(Now, 1), "+1 month") : (UtcCalendar.AddDays(Now, 1), "+1d");
                break;
            case < 138:
                return ScheduledJump() ?? SmallJump();
            default:
                return RefundBoundaryJump() ?? SmallJump();
        }
        if (Chance(25))
        {
            // Jump and act in one step, so the engine catches up lazily inside the action.
            var inner = _rng.Next(8) switch
            {
                0 or 1 or 2 => Send(),
                3 or 4 => Respond(),
                5 => Buy(),
                6 => ReportSpam(),
                _ => CreditsView(),
            };
            if (inner is not null)
            {
                return new Step($"jump+{inner.Kind}", $"jump {what} to {F(target)}, then {inner.Description}", () =>
                {
                    RunDueWorkUntil(target);
                    return inner.Run();
                }, Timing.JumpThenAct)
                { Touches = inner.Touches };
            }
        }
        return JumpTo(target, what);
    }

    private Step JumpTo(DateTimeOffset target, string what) =>
        new("time", $"jump {what} to {F(target)}", () =>
        {
            RunDueWorkUntil(target);
            return new StepResult(null, false, null);
        }, Timing.TimeJump);

    /// <summary>Lands exactly on (or a tick either side of) an upcoming expiry, renewal or end of a plan.</summary>
    private Step? ScheduledJump()
    {
        var upcoming = new SortedSet<DateTimeOffset>();
        foreach (var wallet in State.Wallets)
        {
            foreach (var lot in wallet.LiveLots)
            {
                upcoming.Add(lot.Expires);
            }
        }
        foreach (var sub in State.MemberIndex.Values.Select(m => m.Subscription).Concat(State.TeamIndex.Values.Where(t => t.IsActive).Select(t => t.Subscription)))
        {
            if (sub is not null)
            {
                upcoming.Add(sub.NextGrantAt);
                if (sub.EndsAt is { } end)
                {
                    upcoming.Add(end);
                }
            }
        }
        foreach (var owner in _outreachOwners)
        {
            var m = M(owner);
            upcoming.UnionWith(m.Schedules.Values.Where(x => x.Status == ScheduleStatus.Pending).Select(x => x.DueAt));
            upcoming.UnionWith(m.Sequences.Values.SelectMany(q => q.Enrollments).Where(e => e.NextDueAt is not null).Select(e => e.NextDueAt!.Value));
        }
        // Near ones only, so the clock does not run away: a renewal is at most a month off, and
        // expiries keep coming.
        var horizon = UtcCalendar.AddDays(Now, Chance(10) ? 32 : 2);
        var list = upcoming.Where(t => t > Now && t <= horizon).Take(4).ToList();
        if (list.Count == 0)
        {
            return null;
        }
        var at = Chance(70) ? list[0] : Pick(list);
        var offset = _rng.Next(10) switch
        {
            0 => -1,
            1 => 1,
            _ => 0,
        };
        var target = at.AddTicks(offset);
        if (target < Now)
        {
            target = at;
            offset = 0;
        }
        return JumpTo(target, $"onto a scheduled instant{(offset == 0 ? "" : offset < 0 ? " less a tick" : " plus a tick")}");
    }

    /// <summary>Lands exactly on the end of a paid InMail's refund window (or a tick or second around it), then responds to it.</summary>
    private Step? RefundBoundaryJump()
    {
        var window = TimeSpan.FromDays(_engine.Catalog.Policy.RefundWindowDays);
        // The paid InMails still awaiting a response whose window ends soonest (they were sent in time order).
        var candidates = _inmails
            .Where(m => m.Charge is { } c && m.RespondedAt is null && c.SpentAt + window >= Now && c.SpentAt + window <= Now + TimeSpan.FromDays(8))
            .Take(4)
            .ToList();
        if (candidates.Count == 0)
        {
            return null;
        }
        var target = Pick(candidates);
        var end = target.Charge!.SpentAt + window;
        var (offset, label) = _rng.Next(12) switch
        {
            0 or 1 => (TimeSpan.FromTicks(1), " plus a tick"),
            2 => (TimeSpan.FromTicks(-1), " less a tick"),
            3 => (TimeSpan.FromSeconds(1), " plus a second"),
            _ => (TimeSpan.Zero, ""),
        };
        var at = end + offset < Now ? end : end + offset;
        _focus = target.Id;
        return JumpTo(at, $"to the end of {target.Id}'s refund window{(at == end ? "" : label)}");
    }

    private static string F(DateTimeOffset? t) => t is { } v ? v.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) : "-";
}
