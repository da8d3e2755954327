using System.Text;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.WorkingSet;

namespace InMail.Cli.Generate;

/// <summary>What to generate (decision 008).</summary>
public sealed record GenerateSettings
{
    public int Members { get; init; } = 1_000_000;
    public long Messages { get; init; } = 10_000_000;
    public double Years { get; init; } = 2;
    public int Seed { get; init; } = 1;

    /// <summary>Members per cohort: traffic never leaves a cohort, so each runs alone on a fresh engine.</summary>
    public int CohortSize { get; init; } = 10_000;

    /// <summary>The history ends here (default: today's midnight, UTC); it begins <see cref="Years"/> earlier.</summary>
    public DateTimeOffset End { get; init; } = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    /// <summary>
    /// When set, every member can sign in with it: one credentials row per member, all with this one
    /// hash (ASP.NET Core Identity's format, as the service writes), so a million members cost one
    /// PBKDF2 and not a million. For benchmarks and trials, never for real accounts.
    /// </summary>
    public string? PasswordHash { get; init; }

    public DateTimeOffset Start => End.AddDays(-Math.Round(365.25 * Years));

    public int CohortCount => (Members + CohortSize - 1) / CohortSize;

    /// <summary>The cohort's first member number (members are u0000001…) and its size.</summary>
    public (int First, int Count) CohortMembers(int cohort)
    {
        var first = (cohort * CohortSize) + 1;
        return (first, Math.Min(CohortSize, Members - first + 1));
    }

    /// <summary>The cohort's share of the messages, proportional to its members.</summary>
    public long CohortMessages(int cohort)
    {
        var (first, count) = CohortMembers(cohort);
        var before = (long)Math.Round((double)Messages * (first - 1) / Members);
        var through = (long)Math.Round((double)Messages * (first - 1 + count) / Members);
        return through - before;
    }
}

/// <summary>One accepted command, as the log will hold it.</summary>
public sealed record GeneratedCommand(DateTimeOffset At, string Actor, Command Command);

/// <summary>
/// One cohort's history: its members' commands, decided in time order against a fresh in-memory
/// engine, which refuses what the rules refuse (refused commands are dropped, as the service drops
/// them). The workload only chooses who does what and when; every credit, path, refund and limit
/// is the engine's. Deterministic for a seed, a cohort number and the message counter it starts at.
/// </summary>
public sealed class Cohort
{
    private readonly GenerateSettings _settings;
    private readonly int _cohort;
    private readonly int _first;
    private readonly int _count;
    private readonly long _target;
    private readonly Random _rng;
    private readonly PriorityQueue<Event, (long Ticks, long Order)> _queue = new();
    private readonly long _endTicks;
    private long _order;
    private long _produced;
    private long _pendingMessages;

    private readonly bool[] _joined;
    private readonly List<int> _joinedList = [];
    private readonly List<int> _senders = []; // weighted: a member appears once per 5 credits a cycle of their plan
    private readonly string[] _groups;
    private readonly List<(string Team, List<int> Seats)> _teams = [];

    public Cohort(GenerateSettings settings, PlanCatalog catalog, int cohort, long messageBase)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(catalog);
        _settings = settings;
        _cohort = cohort;
        (_first, _count) = settings.CohortMembers(cohort);
        _target = settings.CohortMessages(cohort);
        // Not HashCode.Combine: it is seeded per process, and the same seed must give the same database in any process.
        _rng = new Random(unchecked((settings.Seed * 1_000_003) + cohort));
        _endTicks = settings.End.UtcTicks;
        _joined = new bool[_count];
        _groups = [.. Enumerable.Range(1, Math.Max(2, _count / 400)).Select(g => $"grp-{cohort + 1}-{g}")];
        Engine = new InMailEngine(catalog);
        // The engine names messages msg-N from its counter; each cohort's counter starts where the
        // previous cohort's ended, so ids are unique and a replay of the log in seq order names them alike.
        Engine.State.Attach(new CounterSource(messageBase), catalog);
    }

    public InMailEngine Engine { get; }

    /// <summary>The hash every member's credentials row holds (<see cref="GenerateSettings.PasswordHash"/>), or null for none.</summary>
    public string? PasswordHash => _settings.PasswordHash;

    /// <summary>The accepted commands, in the order (and at the instants) they ran.</summary>
    public List<GeneratedCommand> Log { get; } = [];

    /// <summary>Messages written (sends and responses).</summary>
    public long Messages => _produced;

    /// <summary>The last message number the engine gave, read from its own globals document.</summary>
    public long LastMessageNumber
    {
        get
        {
            using var json = System.Text.Json.JsonDocument.Parse(AggregateCodec.Write(Engine.State, AggregateKey.Globals));
            return json.RootElement.GetProperty("msg").GetInt64();
        }
    }

    /// <summary>
    /// A member's id: u and seven digits, so a cohort's ids (and the keys built from them: documents,
    /// ledger, conversations) sort together and a bulk load appends to the indexes instead of
    /// scattering over them.
    /// </summary>
    private string Id(int local) => MemberId(_first + local);

    public static string MemberId(int number) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"u{number:D7}");

    // ---------------------------------------------------------------- running

    public Cohort Run()
    {
        var start = _settings.Start.UtcTicks;
        var span = _endTicks - start;
        for (var i = 0; i < _count; i++)
        {
            var at = _rng.NextDouble() < 0.6 ? start + (long)(_rng.NextDouble() * TimeSpan.TicksPerDay * 30) : start + (long)(_rng.NextDouble() * (span - (TimeSpan.TicksPerDay * 30)));
            Schedule(at, new Event(Kind.Join, i));
        }
        for (var t = 0; t < Math.Max(1, _count / 2500); t++)
        {
            Schedule(start + Days(15 + (_rng.NextDouble() * 200)), new Event(Kind.CreateTeam, t));
        }
        Schedule(start + Days(3), new Event(Kind.Primary, 0));
        while (_queue.TryDequeue(out var e, out var when))
        {
            if (e.Kind is Kind.Respond or Kind.FollowUp)
            {
                _pendingMessages--;
            }
            Handle(e, new DateTimeOffset(when.Ticks, TimeSpan.Zero));
        }
        return this;
    }

    private static long Days(double days) => (long)(days * TimeSpan.TicksPerDay) / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;

    private void Schedule(long ticks, Event e)
    {
        ticks = ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond; // whole seconds: what both databases keep exactly
        if (ticks >= _endTicks)
        {
            return;
        }
        if (e.Kind is Kind.Respond or Kind.FollowUp)
        {
            _pendingMessages++;
        }
        _queue.Enqueue(e, (ticks, _order++));
    }

    private void After(DateTimeOffset now, double minDays, double maxDays, Event e) =>
        Schedule(now.UtcTicks + Days(minDays + (_rng.NextDouble() * (maxDays - minDays))), e);

    /// <summary>Runs a command through the engine as the service does (its idempotency wrapper, no key); logs it when accepted.</summary>
    private Outcome<object> Do(DateTimeOffset now, string actor, Command command)
    {
        var outcome = Engine.Idempotently(now, actor, null, command, () => command.Apply(Engine, now));
        if (!outcome.IsSuccess)
        {
            return outcome.Refusal;
        }
        Log.Add(new GeneratedCommand(now, actor, command));
        return outcome.Value.Value;
    }

    private void Handle(Event e, DateTimeOffset now)
    {
        switch (e.Kind)
        {
            case Kind.Join: Join(e.A, now); break;
            case Kind.Connect: Connect(e.A, now); break;
            case Kind.AnswerInvite: AnswerInvite(e, now); break;
            case Kind.JoinGroup: JoinGroup(e.A, now); break;
            case Kind.Subscribe: Subscribe(e, now); break;
            case Kind.OpenProfile: Do(now, Id(e.A), new ChangeSettings(Id(e.A), OpenProfile: true)); break;
            case Kind.ChangePlan: ChangePlan(e, now); break;
            case Kind.Cancel: Do(now, Id(e.A), new Cancel(Id(e.A))); break;
            case Kind.Buy: Do(now, Id(e.A), new Buy(Id(e.A), e.B)); break;
            case Kind.Profile: Do(now, Id(e.A), new UpdateProfile(Id(e.A), Words.Name(_rng), Words.Headline(_rng), Words.Company(_rng), Words.TimeZone(_rng))); break;
            case Kind.Block: Block(e.A, now); break;
            case Kind.CreateTeam: CreateTeam(e.A, now); break;
            case Kind.TeamChange: TeamChange(e.A, now); break;
            case Kind.Primary: Primary(now); break;
            case Kind.Respond: Respond(e, now); break;
            case Kind.FollowUp: FollowUp(e, now); break;
            case Kind.Read: Do(now, Id(e.A), new MarkRead(Id(e.A), Id(e.B))); break;
            case Kind.Mark: Do(now, Id(e.A), new MarkOutcome(Id(e.A), e.Message!, e.B == 0 ? "positive" : "meeting-booked")); break;
            case Kind.Spam: Do(now, Id(e.A), new ReportSpam(Id(e.A), e.Message!)); break;
            case Kind.Archive: Do(now, Id(e.A), new Archive(Id(e.A), Id(e.B))); break;
            default: throw new InvalidOperationException($"unknown event {e.Kind}");
        }
    }

    // ---------------------------------------------------------------- the network

    private void Join(int m, DateTimeOffset now)
    {
        var added = Do(now, Id(m), new AddMember(Id(m), Words.Name(_rng), Inmail: _rng.NextDouble() < 0.02 ? false : null,
            GroupMessages: _rng.NextDouble() < 0.03 ? false : null, Timezone: Words.TimeZone(_rng), Headline: Words.Headline(_rng), Company: Words.Company(_rng)));
        if (!added.IsSuccess)
        {
            return;
        }
        _joined[m] = true;
        _joinedList.Add(m);
        var connections = _rng.Next(1, 12);
        for (var i = 0; i < connections; i++)
        {
            After(now, 0, 120, new Event(Kind.Connect, m));
        }
        if (_rng.NextDouble() < 0.5)
        {
            After(now, 0, 200, new Event(Kind.JoinGroup, m));
            if (_rng.NextDouble() < 0.4)
            {
                After(now, 0, 300, new Event(Kind.JoinGroup, m));
            }
        }
        var role = _rng.NextDouble();
        var plan = role switch
        {
            < 0.024 => "recruiter-lite",
            < 0.038 => "recruiter-professional",
            < 0.040 => "recruiter-corporate",
            < 0.070 => "sales-navigator-core",
            < 0.114 => "premium-career",
            < 0.150 => "premium-business",
            _ => null,
        };
        if (plan is not null)
        {
            var annual = plan is "premium-business" or "sales-navigator-core" or "recruiter-corporate" && _rng.NextDouble() < 0.35;
            After(now, 0, 20, new Event(Kind.Subscribe, m, annual ? 1 : 0, plan));
        }
        if (_rng.NextDouble() < 0.05)
        {
            After(now, 10, 500, new Event(Kind.Profile, m));
        }
        if (_rng.NextDouble() < 0.003)
        {
            After(now, 10, 500, new Event(Kind.Block, m));
        }
    }

    private int? RandomJoined(int except)
    {
        for (var tries = 0; tries < 4 && _joinedList.Count > 1; tries++)
        {
            var other = _joinedList[_rng.Next(_joinedList.Count)];
            if (other != except)
            {
                return other;
            }
        }
        return null;
    }

    private void Connect(int m, DateTimeOffset now)
    {
        if (RandomJoined(m) is not { } other)
        {
            return;
        }
        if (_rng.NextDouble() < 0.7)
        {
            Do(now, Id(m), new Connect(Id(m), Id(other)));
            return;
        }
        var note = _rng.NextDouble() < 0.4 ? Words.Note(_rng, Engine.State.FindMember(Id(other))!.Profile.Name) : null;
        if (Do(now, Id(m), new Invite(Id(m), Id(other), note)).IsSuccess)
        {
            After(now, 0.05, 10, new Event(Kind.AnswerInvite, m, other));
        }
    }

    private void AnswerInvite(Event e, DateTimeOffset now)
    {
        var r = _rng.NextDouble();
        if (r < 0.85)
        {
            Do(now, Id(e.B), new AcceptInvite(Id(e.A), Id(e.B)));
        }
        else if (r < 0.95)
        {
            Do(now, Id(e.B), new IgnoreInvite(Id(e.A), Id(e.B)));
        }
        else if (r < 0.97)
        {
            Do(now, Id(e.A), new WithdrawInvite(Id(e.A), Id(e.B)));
        }
        // else: left pending
    }

    private void JoinGroup(int m, DateTimeOffset now)
    {
        var group = _groups[_rng.Next(_groups.Length)];
        if (Engine.State.FindGroup(group) is null)
        {
            Do(now, Id(m), new CreateGroup(group, Words.GroupName(_rng, group), Id(m)));
        }
        else
        {
            Do(now, Id(m), new JoinGroup(Id(m), group));
        }
    }

    private void Block(int m, DateTimeOffset now)
    {
        if (RandomJoined(m) is { } other)
        {
            Do(now, Id(m), new Block(Id(m), Id(other)));
        }
    }

    // ---------------------------------------------------------------- plans and teams

    private static int Weight(string plan) => plan switch
    {
        "premium-career" => 1,
        "premium-business" => 3,
        "recruiter-lite" => 6,
        "sales-navigator-core" or "sales-navigator-advanced" => 10,
        "recruiter-professional" => 20,
        "recruiter-corporate" => 30,
        _ => 0,
    };

    private void Subscribe(Event e, DateTimeOffset now)
    {
        var plan = e.Text!;
        if (!Do(now, Id(e.A), new Subscribe(Id(e.A), plan, e.B == 1 ? "annual" : null)).IsSuccess)
        {
            return;
        }
        for (var i = 0; i < Weight(plan); i++)
        {
            _senders.Add(e.A);
        }
        if (_rng.NextDouble() < 0.35)
        {
            After(now, 0, 30, new Event(Kind.OpenProfile, e.A));
        }
        var r = _rng.NextDouble();
        if (r < 0.12)
        {
            After(now, 30, 500, new Event(Kind.ChangePlan, e.A, 0, plan));
        }
        else if (r < 0.22)
        {
            After(now, 30, 500, new Event(Kind.Cancel, e.A));
        }
        if (plan.StartsWith("recruiter", StringComparison.Ordinal) || plan.StartsWith("sales", StringComparison.Ordinal))
        {
            if (_rng.NextDouble() < 0.25)
            {
                After(now, 5, 600, new Event(Kind.Buy, e.A, _rng.NextDouble() < 0.6 ? 25 : 50));
            }
        }
    }

    private void ChangePlan(Event e, DateTimeOffset now)
    {
        var to = e.Text switch
        {
            "premium-career" => "premium-business",
            "premium-business" => _rng.NextDouble() < 0.5 ? "premium-career" : "sales-navigator-core",
            "sales-navigator-core" => "premium-business",
            "recruiter-lite" => "recruiter-professional",
            "recruiter-professional" => "recruiter-lite",
            _ => "basic",
        };
        if (Do(now, Id(e.A), new ChangePlan(Id(e.A), to)).IsSuccess)
        {
            for (var i = 0; i < Weight(to); i++)
            {
                _senders.Add(e.A);
            }
        }
    }

    private void CreateTeam(int t, DateTimeOffset now)
    {
        var seats = new List<int>();
        for (var tries = 0; tries < 200 && seats.Count < 4 + _rng.Next(7) && _joinedList.Count > 0; tries++)
        {
            var m = _joinedList[_rng.Next(_joinedList.Count)];
            var member = Engine.State.FindMember(Id(m))!;
            if (member.Subscription is null && member.TeamId is null && !seats.Contains(m))
            {
                seats.Add(m);
            }
        }
        if (seats.Count == 0)
        {
            return;
        }
        var id = $"team-{_cohort + 1}-{t + 1}";
        var created = Do(now, Id(seats[0]), new CreateTeam(id, "sales-navigator-advanced", [.. seats.Select(Id)],
            _rng.NextDouble() < 0.4 ? "annual" : null, _rng.NextDouble() < 0.5 ? 40 : null, Id(seats[0])));
        if (!created.IsSuccess)
        {
            return;
        }
        _teams.Add((id, seats));
        foreach (var s in seats)
        {
            for (var i = 0; i < Weight("sales-navigator-advanced"); i++)
            {
                _senders.Add(s);
            }
        }
        for (var c = 0; c < 3; c++)
        {
            After(now, 20, 600, new Event(Kind.TeamChange, _teams.Count - 1));
        }
    }

    private void TeamChange(int index, DateTimeOffset now)
    {
        var (team, seats) = _teams[index];
        var admin = Id(seats[0]);
        var r = _rng.NextDouble();
        if (r < 0.45)
        {
            if (RandomJoined(-1) is { } m && Engine.State.FindMember(Id(m)) is { Subscription: null, TeamId: null }
                && Do(now, admin, new AddSeat(team, Id(m))).IsSuccess)
            {
                seats.Add(m);
                for (var i = 0; i < Weight("sales-navigator-advanced"); i++)
                {
                    _senders.Add(m);
                }
            }
        }
        else if (r < 0.75)
        {
            if (seats.Count > 2)
            {
                var m = seats[^1];
                if (Do(now, admin, new RemoveSeat(team, Id(m))).IsSuccess)
                {
                    seats.RemoveAt(seats.Count - 1);
                }
            }
        }
        else if (r < 0.92)
        {
            Do(now, admin, new SetSeatCap(team, _rng.NextDouble() < 0.5 ? 30 : null));
        }
        else
        {
            Do(now, admin, new CancelTeam(team));
        }
    }

    // ---------------------------------------------------------------- messages

    /// <summary>
    /// The next message a member starts (a free message to a connection, an InMail to a stranger, or a
    /// message to a fellow group member), at a rate that spreads what is left of the cohort's message
    /// budget, net of the replies already scheduled, over what is left of the two years.
    /// </summary>
    private void Primary(DateTimeOffset now)
    {
        if (_joinedList.Count > 1)
        {
            var r = _rng.NextDouble();
            if (r < 0.42)
            {
                ToConnection(now);
            }
            else if (r < 0.90)
            {
                InMail(now);
            }
            else
            {
                InGroup(now);
            }
        }
        var remaining = Math.Max(1, _target - _produced - (long)(_pendingMessages * 0.9));
        var mean = (double)(_endTicks - now.UtcTicks) / remaining;
        if (_target - _produced - _pendingMessages <= 0)
        {
            mean *= 20; // the budget is spoken for: only a trickle more
        }
        Schedule(now.UtcTicks + Math.Max(TimeSpan.TicksPerSecond, (long)(-Math.Log(1 - _rng.NextDouble()) * mean)), new Event(Kind.Primary, 0));
    }

    private bool ToConnection(DateTimeOffset now)
    {
        for (var tries = 0; tries < 4; tries++)
        {
            var m = _joinedList[_rng.Next(_joinedList.Count)];
            var member = Engine.State.FindMember(Id(m))!;
            if (member.Connections.Count == 0)
            {
                continue;
            }
            var to = Pick(member.Connections);
            return Send(now, m, Local(to), null, depth: 0);
        }
        return false;
    }

    /// <summary>A random element of a set, in ordinal order: a set of strings enumerates in an order that differs between processes.</summary>
    private string Pick(IReadOnlySet<string> set) => set.Order(StringComparer.Ordinal).ElementAt(_rng.Next(set.Count));

    private int Local(string id) => int.Parse(id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture) - _first;

    private void InMail(DateTimeOffset now)
    {
        if (_senders.Count == 0 || RandomJoined(-1) is not { } to)
        {
            ToConnection(now);
            return;
        }
        var from = _senders[_rng.Next(_senders.Count)];
        if (from == to)
        {
            return;
        }
        var sent = SendOutcome(now, from, to, Words.Subject(_rng), 0);
        if (sent.IsSuccess)
        {
            return;
        }
        if (sent.Refusal.Code == RefusalCode.NoCredits && _rng.NextDouble() < 0.6
            && Do(now, Id(from), new Buy(Id(from), _rng.NextDouble() < 0.7 ? 10 : 25)).IsSuccess
            && SendOutcome(now, from, to, Words.Subject(_rng), 0).IsSuccess)
        {
            return;
        }
        ToConnection(now); // out of credits or limits: write to someone they know instead
    }

    private void InGroup(DateTimeOffset now)
    {
        var group = Engine.State.FindGroup(_groups[_rng.Next(_groups.Length)]);
        if (group is null || group.Members.Count < 2)
        {
            ToConnection(now);
            return;
        }
        var from = Pick(group.Members);
        var to = Pick(group.Members);
        if (from != to && !Send(now, Local(from), Local(to), _rng.NextDouble() < 0.5 ? Words.Subject(_rng) : null, 0))
        {
            ToConnection(now);
        }
    }

    private bool Send(DateTimeOffset now, int from, int to, string? subject, int depth) => SendOutcome(now, from, to, subject, depth).IsSuccess;

    private Outcome<object> SendOutcome(DateTimeOffset now, int from, int to, string? subject, int depth)
    {
        var toName = Engine.State.FindMember(Id(to))?.Profile.Name ?? "there";
        var outcome = Do(now, Id(from), new Send(Id(from), Id(to), subject, Words.Body(_rng, toName, subject is not null)));
        if (!outcome.IsSuccess && outcome.Refusal.Code == RefusalCode.SubjectRequired)
        {
            outcome = Do(now, Id(from), new Send(Id(from), Id(to), Words.Subject(_rng), Words.Body(_rng, toName, true)));
        }
        if (!outcome.IsSuccess)
        {
            return outcome;
        }
        _produced++;
        var message = ((Sent)outcome.Value).Message;
        Followed(now, message, from, to, depth);
        return outcome;
    }

    /// <summary>What happens after a message: it is read, answered (an InMail by a response, which refunds), marked, reported, archived.</summary>
    private void Followed(DateTimeOffset now, Message message, int from, int to, int depth)
    {
        if (_rng.NextDouble() < 0.5)
        {
            After(now, 0.02, 5, new Event(Kind.Read, to, from));
        }
        if (message.IsInMail)
        {
            var r = _rng.NextDouble();
            if (r < 0.42)
            {
                var kind = r < 0.30 ? 0 : r < 0.35 ? 1 : 2; // reply, accept, decline
                var late = _rng.NextDouble();
                var (min, max) = late < 0.8 ? (0.02, 10.0) : late < 0.95 ? (10.0, 90.0) : (90.0, 160.0);
                After(now, min, max, new Event(Kind.Respond, to, kind, Message: message.Id));
            }
            else if (r < 0.425)
            {
                After(now, 0.1, 5, new Event(Kind.Spam, to, Message: message.Id));
            }
            return;
        }
        if (_rng.NextDouble() < 0.55 * Math.Pow(0.6, depth))
        {
            After(now, 0.01, 3, new Event(Kind.FollowUp, to, from, Depth: depth + 1));
        }
        if (_rng.NextDouble() < 0.02)
        {
            After(now, 1, 60, new Event(Kind.Archive, to, from));
        }
    }

    private void Respond(Event e, DateTimeOffset now)
    {
        var kind = e.B switch { 0 => "reply", 1 => "accept", _ => "decline" };
        var body = e.B == 0 || _rng.NextDouble() < 0.5 ? Words.Reply(_rng, e.B) : null;
        var outcome = Do(now, Id(e.A), new Respond(Id(e.A), e.Message!, kind, body));
        if (!outcome.IsSuccess)
        {
            return;
        }
        _produced++;
        var responded = (Responded)outcome.Value;
        var sender = Local(responded.InMail.From);
        if (e.B == 0 && _rng.NextDouble() < 0.6)
        {
            After(now, 0.01, 3, new Event(Kind.FollowUp, sender, e.A, Depth: 1));
        }
        var mark = _rng.NextDouble();
        if (e.B != 2 && mark < 0.33)
        {
            After(now, 0.5, 20, new Event(Kind.Mark, sender, mark < 0.25 ? 0 : 1, Message: responded.InMail.Id));
        }
    }

    private void FollowUp(Event e, DateTimeOffset now) => Send(now, e.A, e.B, null, e.Depth);

    private enum Kind
    {
        Join, Connect, AnswerInvite, JoinGroup, Subscribe, OpenProfile, ChangePlan, Cancel, Buy, Profile, Block,
        CreateTeam, TeamChange, Primary, Respond, FollowUp, Read, Mark, Spam, Archive,
    }

    private sealed record Event(Kind Kind, int A, int B = 0, string? Text = null, string? Message = null, int Depth = 0);

    /// <summary>
    /// The source a cohort's engine is attached to: no aggregate (the cohort starts empty) but the
    /// system's message counter, so the engine numbers this cohort's messages after the last cohort's.
    /// </summary>
    private sealed class CounterSource(long lastMessage) : IStateSource
    {
        private readonly byte[] _globals = Encoding.UTF8.GetBytes($"{{\"msg\":{lastMessage}}}");

        public byte[]? Read(AggregateKey key) => key == AggregateKey.Globals ? _globals : null;

        public MemberPair? ConversationOfMessage(string messageId) => null;

        public IReadOnlyList<string> ConversationPartnersOf(string member) => [];

        public IdempotencyRecord? FindIdempotencyRecord(string actor, string key) => null;

        // Nothing of a cohort is stored before it is written whole: no history to read back.
        public string? MemberIdIgnoringCase(string id) => null;

        public IReadOnlyList<LedgerEntry> LedgerOf(WalletId wallet) => [];

        public IReadOnlyList<LedgerEntry> LedgerPage(WalletId wallet, long beforeSequence, int take) => [];

        public int BalanceBefore(WalletId wallet, long sequence) => 0;

        public IReadOnlyList<Lot> EndedLotsOf(WalletId wallet) => [];
    }
}
