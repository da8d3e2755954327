using System.Globalization;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Web.Security;

namespace InMail.Web.Demo;

/// <summary>One command of the demo network and the instant it is applied at.</summary>
public sealed record DemoStep(DateTimeOffset At, Command Command);

/// <summary>A sign-in worth printing for the demo: who to try, with which password, and what they show.</summary>
/// <param name="Member">The member id to sign in with.</param>
/// <param name="Name">The member's full name.</param>
/// <param name="Role"><c>member</c>, or <c>operator</c> for the operator desk.</param>
/// <param name="Password">The password to sign in with.</param>
/// <param name="Description">What this persona shows, in one sentence.</param>
public sealed record DemoSignIn(string Member, string Name, string Role, string Password, string Description);

/// <summary>
/// A believable network for the service's demo mode, as engine commands: 63 members (recruiters, sales
/// people, founders, job seekers, engineers, designers, executives, marketers and the operator desk)
/// with profiles and time zones, 5–20 connections each, seven groups, every plan of the default
/// catalog (a Sales Navigator Advanced team among them), credit packs and bonus grants, and six weeks
/// of outreach: InMails answered (refunded) or still waiting, follow-ups, plain and group messages,
/// connection requests accepted, ignored, withdrawn or still pending.
/// </summary>
/// <remarks>
/// <para>
/// The network is deterministic: the roster comes from a fixed seed (<see cref="Seed"/>), and the
/// same <c>now</c> always gives the same commands. Every command lies in <c>(now − 42 days, now − 1 minute]</c>,
/// in time order, and is accepted when applied in order to a fresh engine on <see cref="PlanCatalog.Default"/>:
/// the builder applies each command to its own engine as it writes it and asks that engine for a quote
/// before every send, so a send that would take another path or be refused is simply not written.
/// </para>
/// <para>
/// Passwords: every member signs in with <see cref="MemberPassword"/> (<c>demo-password</c>); the
/// operator (<see cref="OperatorId"/>) signs in with <see cref="OperatorPassword"/> (<c>operator-password</c>).
/// </para>
/// </remarks>
public static class DemoNetwork
{
    /// <summary>The id of the demo's one stored file (Maya's role brief).</summary>
    public const string RoleBriefId = "demo-role-brief";

    /// <summary>The bytes of Maya's role brief: plain text, as an upload would store it.</summary>
    public static byte[] RoleBrief { get; } = System.Text.Encoding.UTF8.GetBytes(
        "Staff Platform Engineer — Northwind\n\nTeam: 6 engineers, shipping weekly.\nStack: Go, PostgreSQL, Kubernetes.\n"
        + "Remote in Europe, or Paris office.\nBand: 95–120k € + equity.\nProcess: 30-minute call, a take-home you are paid for, one panel.\n");

    /// <summary>The password of every demo member: <c>demo-password</c>.</summary>
    public const string MemberPassword = "demo-password";

    /// <summary>The password of the operator desk: <c>operator-password</c>.</summary>
    public const string OperatorPassword = "operator-password";

    /// <summary>The operator's member id; the operator is also a member (Ops Desk).</summary>
    public const string OperatorId = "operator";

    /// <summary>The seed of the roster and the activity: change it and the network changes.</summary>
    public const int Seed = 20_240_611;

    /// <summary>How far back the network's history goes.</summary>
    public static TimeSpan History { get; } = TimeSpan.FromDays(42);

    /// <summary>The sign-ins to print: one per persona worth trying, and the operator.</summary>
    public static IReadOnlyList<DemoSignIn> SignIns { get; } =
    [
        new("maya.chen", "Maya Chen", Roles.Member, MemberPassword,
            "Recruiter on Recruiter Lite: a monthly allowance, a bought pack, answered InMails refunded and InMails to engineers still awaiting replies."),
        new("daniel.okafor", "Daniel Okafor", Roles.Member, MemberPassword,
            "Enterprise sales on Sales Navigator Core: prospecting executives, some accepts, some declines, a bought pack."),
        new("priya.raman", "Priya Raman", Roles.Member, MemberPassword,
            "Job seeker on Premium Career with Open Profile on and a referral bonus: writes to recruiters and hiring managers."),
        new("lucas.moreau", "Lucas Moreau", Roles.Member, MemberPassword,
            "Free member (Basic): backend engineer who receives recruiter InMails, messages his connections and has a connection request waiting."),
        new("sofia.alvarez", "Sofia Alvarez", Roles.Member, MemberPassword,
            "Admin of the Lumen Payments team on Sales Navigator Advanced: a shared credit pool, five seats and a seat cap."),
        new(OperatorId, "Ops Desk", Roles.Operator, OperatorPassword,
            "Operator: every member's ledger, bonus grants, plans and the network as a whole."),
    ];

    /// <summary>The demo network's commands in time order, all within the 42 days before <paramref name="now"/>.</summary>
    public static IReadOnlyList<DemoStep> Build(DateTimeOffset now) => new DemoBuilder(now).Run();
}

/// <summary>What a persona does for a living; it decides whom they write to and what they say.</summary>
file enum Kind
{
    Operator,
    Recruiter,
    Sales,
    Founder,
    JobSeeker,
    Engineer,
    Designer,
    Executive,
    Marketer,
}

[Flags]
file enum Traits
{
    None = 0,
    OpenProfile = 1,
    InMailOff = 2,
    InMailOffLater = 4,
    NoGroupMessages = 8,
    TeamSeat = 16,
    TeamAdmin = 32,
    LateSeat = 64,
    Upgrades = 128,
    Cancels = 256,
}

/// <summary>An IANA zone and its usual offset from UTC in hours (close enough to place working hours).</summary>
file sealed record Zone(string Id, int Offset)
{
    public string City => Id[(Id.LastIndexOf('/') + 1)..].Replace('_', ' ');
}

file sealed record Persona(
    string Id,
    string First,
    string Last,
    Kind Kind,
    string Role,
    string Headline,
    string Company,
    Zone Zone,
    string? Plan = null,
    string? Billing = null,
    Traits Traits = Traits.None)
{
    public string Name => $"{First} {Last}";

    public bool Has(Traits trait) => (Traits & trait) == trait;

    public bool PaysForInMail => Plan is not null || Has(Traits.TeamSeat) || Has(Traits.LateSeat);
}

/// <summary>A generated member: kind, plan and traits; the name, role, company and zone come from the seed.</summary>
file sealed record Slot(Kind Kind, string? Plan = null, string? Billing = null, Traits Traits = Traits.None, string? Company = null, Zone? Zone = null);

file sealed record DemoGroup(string Id, string Name, List<Persona> Members);

/// <summary>
/// Writes the network: plans the roster, the connections and the groups from the seed, then runs a
/// time-ordered queue of events (setup, daily initiatives, and the reactions they cause) against its
/// own engine, keeping each command the engine accepts.
/// </summary>
file sealed class DemoBuilder
{
    private const int LastDay = 41;
    private const string TeamId = "lumen-payments-sdr";
    private const string TeamPlan = "sales-navigator-advanced";
    private const int MaxPlannedDegree = 15;

    private readonly Random _rng = new(DemoNetwork.Seed);
    private readonly InMailEngine _engine = new(PlanCatalog.Default);
    private readonly List<DemoStep> _steps = [];
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Seq)> _queue = new();
    private readonly List<Persona> _people = [];
    private readonly Dictionary<string, Persona> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _startDay = new(StringComparer.Ordinal);
    private readonly List<(Persona A, Persona B)> _edges = [];
    private readonly HashSet<(string, string)> _edgeSet = [];
    private readonly List<DemoGroup> _groups = [];
    private readonly HashSet<(string, string)> _withdrawn = [];
    private readonly Dictionary<(string, int), int> _basicNotes = [];
    private readonly List<(Persona Member, Persona Sender)> _declined = [];
    private readonly DateTimeOffset _origin;
    private readonly DateTimeOffset _cutoff;
    private DateTimeOffset _clock;
    private long _seq;
    private int _messages;

    public DemoBuilder(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        _cutoff = utc - TimeSpan.FromMinutes(1);
        // Day 0 is the first UTC midnight inside the history, so times of day read naturally.
        _origin = new DateTimeOffset((utc - DemoNetwork.History).UtcDateTime.Date, TimeSpan.Zero).AddDays(1);
        _clock = _origin;
    }

    public IReadOnlyList<DemoStep> Run()
    {
        CreateRoster();
        PlanConnections();
        PlanGroups();
        ScheduleSetup();
        SchedulePlans();
        ScheduleInvitations();
        for (var day = 1; day <= LastDay; day++)
        {
            ScheduleDay(day);
        }
        At(_cutoff.AddHours(-20), MayasWorkspace);
        while (_queue.TryDequeue(out var action, out var when))
        {
            if (when.At > _cutoff)
            {
                break;
            }
            _clock = when.At;
            action();
        }
        return _steps.AsReadOnly();
    }

    // ------------------------------------------------------------------ roster

    private static readonly Zone[] Zones =
    [
        new("Europe/London", 0), new("America/New_York", -5), new("America/Los_Angeles", -8), new("America/Chicago", -6),
        new("Asia/Singapore", 8), new("Europe/Berlin", 1), new("Asia/Kolkata", 5), new("Australia/Sydney", 10),
        new("Asia/Tokyo", 9), new("Europe/Paris", 1), new("America/Toronto", -5), new("America/Sao_Paulo", -3),
        new("Europe/Amsterdam", 1), new("Asia/Dubai", 4), new("Europe/Stockholm", 1), new("America/Denver", -7),
        new("Africa/Lagos", 1), new("Europe/Dublin", 0), new("Europe/Madrid", 1), new("Africa/Nairobi", 3),
    ];

    private static Zone ZoneOf(string id) => Zones.Single(z => z.Id == id);

    private static readonly string[] FirstNames =
    [
        "Amelia", "Noah", "Olivia", "Ethan", "Hannah", "Kenji", "Aisha", "Mateo", "Chloe", "Ravi", "Ingrid", "Tomas",
        "Leila", "Marcus", "Yuki", "Fatima", "Oscar", "Nadia", "Samuel", "Elena", "Jonas", "Grace", "Arjun", "Camille",
        "Diego", "Freya", "Hugo", "Isabel", "Jamal", "Keiko", "Liam", "Mei", "Nikolai", "Zara", "Omar", "Paula",
        "Quentin", "Rosa", "Stefan", "Tara", "Victor", "Wen", "Alice", "Ben", "Carla", "David", "Emma", "Farah",
    ];

    private static readonly string[] LastNames =
    [
        "Patel", "Nguyen", "Schmidt", "Okoye", "Larsen", "Rossi", "Kim", "Silva", "Novak", "Haddad", "Tanaka", "Murphy",
        "Fischer", "Kowalski", "Mensah", "Jensen", "Costa", "Ibrahim", "Walsh", "Dubois", "Lindqvist", "Sato", "Reyes",
        "Brennan", "Achebe", "Varga", "Hughes", "Moreno", "Bauer", "Chowdhury", "Park", "Ferreira", "Kaur", "Lopez",
        "Mwangi", "Petrov", "Quinn", "Sandoval", "Takahashi", "Whitaker", "Yilmaz", "Zhang", "Adler", "Bianchi",
        "Castillo", "Davies", "Eriksen", "Gupta",
    ];

    private static readonly Dictionary<Kind, string[]> Companies = new()
    {
        [Kind.Recruiter] = ["Meridian Talent Partners", "Brightside Search", "Northstar Recruiting", "Hollis & Grant Executive Search", "Talentbridge Partners", "Fieldstone Recruitment"],
        [Kind.Sales] = ["Atlas Cloudworks", "Fernway Logistics", "Kestrel Security", "Orbital Freight", "Northwind Analytics"],
        [Kind.Founder] = ["Tidewater Analytics", "Greenfield Climate", "Papertrail AI", "Bramble Studio", "Cobalt Ledger"],
        [Kind.JobSeeker] = ["Fernway Logistics", "Brightline Health", "Orbital Freight", "Tidewater Analytics", "Kestrel Security", "Helix Robotics"],
        [Kind.Engineer] = ["Copperleaf Software", "Helix Robotics", "Lumen Payments", "Quarry Labs", "Northwind Analytics", "Kestrel Security", "Atlas Cloudworks", "Brightline Health"],
        [Kind.Designer] = ["Tessellate Design", "Brightline Health", "Lumen Payments", "Bramble Studio", "Copperleaf Software"],
        [Kind.Executive] = ["Northwind Analytics", "Fernway Logistics", "Helix Robotics", "Brightline Health", "Orbital Freight", "Kestrel Security"],
        [Kind.Marketer] = ["Greenfield Climate", "Lumen Payments", "Papertrail AI", "Tidewater Analytics"],
    };

    private static readonly Dictionary<Kind, string[]> Roles = new()
    {
        [Kind.Recruiter] = ["Senior Technical Recruiter", "Talent Acquisition Partner", "Head of Talent", "Executive Search Consultant"],
        [Kind.Sales] = ["Enterprise Account Executive", "Sales Development Representative", "Regional Sales Director, EMEA", "Strategic Accounts Manager"],
        [Kind.Founder] = ["Founder & CEO", "Co-founder & CTO", "Founder and Managing Director"],
        [Kind.JobSeeker] = ["Product Manager", "Data Analyst", "Frontend Developer", "Customer Success Manager", "QA Engineer", "Business Analyst"],
        [Kind.Engineer] = ["Staff Software Engineer", "Backend Engineer (Go, PostgreSQL)", "Site Reliability Engineer", "Machine Learning Engineer", "Engineering Manager, Platform", "iOS Developer", "Data Engineer"],
        [Kind.Designer] = ["Senior Product Designer", "UX Researcher", "Design Systems Lead", "Brand Designer"],
        [Kind.Executive] = ["VP Engineering", "Chief Technology Officer", "Head of Operations", "Director of Product", "Chief Revenue Officer"],
        [Kind.Marketer] = ["Growth Marketing Lead", "Content Strategist", "Demand Generation Manager", "Product Marketing Manager"],
    };

    private static string Headline(Kind kind, string role, string company) => kind switch
    {
        Kind.JobSeeker => $"{role} | Open to work | ex-{company}",
        Kind.Recruiter => $"{role} at {company} | Hiring engineers, designers and product people",
        Kind.Founder => $"{role} at {company} | Building in public",
        _ => $"{role} at {company}",
    };

    private static readonly Slot[] Slots =
    [
        new(Kind.Recruiter, "recruiter-lite", "monthly"),
        new(Kind.Recruiter, "recruiter-lite", "monthly"),
        new(Kind.Recruiter, "recruiter-professional", "monthly"),
        new(Kind.Recruiter, "recruiter-professional", "monthly"),
        new(Kind.Recruiter, "recruiter-professional", "monthly"),
        new(Kind.Recruiter, "recruiter-corporate", "monthly"),
        new(Kind.Recruiter, "recruiter-corporate", "annual"),
        new(Kind.Sales, "sales-navigator-core", "annual", Traits.OpenProfile),
        new(Kind.Sales, "sales-navigator-core", "monthly"),
        new(Kind.Sales, Traits: Traits.TeamSeat, Company: "Lumen Payments", Zone: ZoneOf("America/New_York")),
        new(Kind.Sales, Traits: Traits.TeamSeat, Company: "Lumen Payments", Zone: ZoneOf("America/Chicago")),
        new(Kind.Sales, Traits: Traits.TeamSeat, Company: "Lumen Payments", Zone: ZoneOf("America/Toronto")),
        new(Kind.Sales, Traits: Traits.LateSeat, Company: "Lumen Payments", Zone: ZoneOf("America/Denver")),
        new(Kind.Sales),
        new(Kind.Sales),
        new(Kind.Founder, "premium-business", "monthly", Traits.OpenProfile),
        new(Kind.Founder, "premium-business", "annual"),
        new(Kind.Founder, "premium-business", "monthly", Traits.Cancels),
        new(Kind.Founder),
        new(Kind.Founder),
        new(Kind.JobSeeker, "premium-career", "monthly"),
        new(Kind.JobSeeker, "premium-career", "monthly"),
        new(Kind.JobSeeker, "premium-career", "monthly", Traits.Upgrades | Traits.OpenProfile),
        new(Kind.JobSeeker),
        new(Kind.JobSeeker),
        new(Kind.JobSeeker),
        new(Kind.JobSeeker),
        .. Enumerable.Repeat(new Slot(Kind.Engineer), 13),
        new(Kind.Engineer, Traits: Traits.NoGroupMessages),
        .. Enumerable.Repeat(new Slot(Kind.Designer), 6),
        new(Kind.Executive, Traits: Traits.InMailOff),
        new(Kind.Executive, Traits: Traits.InMailOffLater),
        .. Enumerable.Repeat(new Slot(Kind.Executive), 4),
        new(Kind.Marketer, Traits: Traits.NoGroupMessages),
        .. Enumerable.Repeat(new Slot(Kind.Marketer), 3),
    ];

    private void CreateRoster()
    {
        Add(new Persona(DemoNetwork.OperatorId, "Ops", "Desk", Kind.Operator, "Operations", "Trust & Safety and Billing Operations", "InMail", ZoneOf("Europe/London")));
        Add(new Persona("maya.chen", "Maya", "Chen", Kind.Recruiter, "Senior Technical Recruiter",
            "Senior Technical Recruiter at Meridian Talent Partners | Hiring backend and platform engineers", "Meridian Talent Partners",
            ZoneOf("Europe/London"), "recruiter-lite", "monthly"));
        Add(new Persona("daniel.okafor", "Daniel", "Okafor", Kind.Sales, "Enterprise Account Executive",
            "Enterprise Account Executive at Atlas Cloudworks", "Atlas Cloudworks", ZoneOf("America/New_York"), "sales-navigator-core", "monthly"));
        Add(new Persona("priya.raman", "Priya", "Raman", Kind.JobSeeker, "Senior Product Manager",
            "Senior Product Manager | Open to work | ex-Brightline Health", "Brightline Health", ZoneOf("Asia/Singapore"),
            "premium-career", "monthly", Traits.OpenProfile));
        Add(new Persona("lucas.moreau", "Lucas", "Moreau", Kind.Engineer, "Backend Engineer (Go, PostgreSQL)",
            "Backend Engineer (Go, PostgreSQL) at Copperleaf Software", "Copperleaf Software", ZoneOf("Europe/Paris")));
        Add(new Persona("sofia.alvarez", "Sofia", "Alvarez", Kind.Sales, "Head of Sales Development",
            "Head of Sales Development at Lumen Payments", "Lumen Payments", ZoneOf("America/Chicago"), Traits: Traits.TeamSeat | Traits.TeamAdmin));

        foreach (var slot in Slots)
        {
            string first, last, id;
            do
            {
                first = Pick(FirstNames);
                last = Pick(LastNames);
                id = $"{first}.{last}".ToLowerInvariant();
            }
            while (_byId.ContainsKey(id));
            var role = Pick(Roles[slot.Kind]);
            var company = slot.Company ?? Pick(Companies[slot.Kind]);
            Add(new Persona(id, first, last, slot.Kind, role, Headline(slot.Kind, role, company), company, slot.Zone ?? Pick(Zones), slot.Plan, slot.Billing, slot.Traits));
        }
    }

    private void Add(Persona persona)
    {
        _people.Add(persona);
        _byId.Add(persona.Id, persona);
    }

    private Persona P(string id) => _byId[id];

    private IEnumerable<Persona> Members => _people.Where(p => p.Kind != Kind.Operator);

    // ------------------------------------------------------------------ connections and groups

    private static bool Related(Kind a, Kind b) => (a, b) switch
    {
        (Kind.Recruiter, Kind.Executive) or (Kind.Executive, Kind.Recruiter) => true,
        (Kind.Sales, Kind.Founder) or (Kind.Founder, Kind.Sales) => true,
        (Kind.Engineer, Kind.Designer) or (Kind.Designer, Kind.Engineer) => true,
        (Kind.Engineer, Kind.Executive) or (Kind.Executive, Kind.Engineer) => true,
        (Kind.Designer, Kind.Marketer) or (Kind.Marketer, Kind.Designer) => true,
        (Kind.Founder, Kind.Executive) or (Kind.Executive, Kind.Founder) => true,
        (Kind.Sales, Kind.Marketer) or (Kind.Marketer, Kind.Sales) => true,
        _ => false,
    };

    private static (string, string) Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);

    /// <summary>Plans the connection graph: colleagues and peers first, 6–12 connections each, at most 15.</summary>
    private void PlanConnections()
    {
        var degree = _people.ToDictionary(p => p.Id, _ => 0, StringComparer.Ordinal);
        // The first story (Maya writes to Lucas) needs them to be strangers.
        _edgeSet.Add(Key("maya.chen", "lucas.moreau"));
        var members = Members.ToList();
        foreach (var p in members)
        {
            var target = _rng.Next(6, 13);
            while (degree[p.Id] < target)
            {
                var candidates = members
                    .Where(c => c != p && degree[c.Id] < MaxPlannedDegree && !_edgeSet.Contains(Key(p.Id, c.Id)))
                    .Select(c => (Person: c, Weight: c.Company == p.Company && p.Kind != Kind.JobSeeker ? 8.0 : c.Kind == p.Kind ? 3 : Related(p.Kind, c.Kind) ? 2 : c.Zone == p.Zone ? 1.5 : 1))
                    .ToList();
                if (candidates.Count == 0)
                {
                    break;
                }
                var roll = _rng.NextDouble() * candidates.Sum(c => c.Weight);
                var chosen = candidates[^1].Person;
                foreach (var (person, weight) in candidates)
                {
                    roll -= weight;
                    if (roll < 0)
                    {
                        chosen = person;
                        break;
                    }
                }
                _edgeSet.Add(Key(p.Id, chosen.Id));
                _edges.Add((p, chosen));
                degree[p.Id]++;
                degree[chosen.Id]++;
            }
        }
        _edgeSet.Remove(Key("maya.chen", "lucas.moreau"));
        foreach (var id in (string[])["maya.chen", "daniel.okafor", "priya.raman", "lucas.moreau", "sofia.alvarez", Pick(members).Id])
        {
            if (_edgeSet.Add(Key(DemoNetwork.OperatorId, id)))
            {
                _edges.Add((P(DemoNetwork.OperatorId), P(id)));
            }
        }
    }

    private void PlanGroups()
    {
        AddGroup("tech-recruiters", "Tech Recruiting Leaders", p => p.Kind == Kind.Recruiter || (p.Kind == Kind.Executive && Chance(0.4)));
        AddGroup("saas-sales-leaders", "SaaS Sales Leaders", p => p.Kind is Kind.Sales or Kind.Founder || (p.Kind == Kind.Marketer && Chance(0.5)));
        var guildRecruiter = _people.First(p => p.Plan == "recruiter-professional");
        AddGroup("backend-guild", "Backend Engineering Guild", p => p.Id == "lucas.moreau" || p == guildRecruiter || (p.Kind == Kind.Engineer && Chance(0.75)));
        AddGroup("design-systems", "Design Systems Community", p => p.Kind == Kind.Designer || (p.Kind == Kind.Engineer && Chance(0.2)) || (p.Kind == Kind.Marketer && Chance(0.3)));
        AddGroup("open-to-work", "Open to Work: Career Changers", p => p.Kind == Kind.JobSeeker || (p.Kind == Kind.Recruiter && p.Id != "maya.chen" && Chance(0.3)));
        AddGroup("london-tech", "London Tech & Product", p => p.Zone.Id is "Europe/London" or "Europe/Dublin" && Chance(0.7));
        AddGroup("apac-founders", "APAC Startup Founders", p => p.Kind == Kind.Founder || (p.Zone.Id is "Asia/Singapore" or "Asia/Tokyo" or "Asia/Kolkata" or "Australia/Sydney" && Chance(0.6)));
    }

    private void AddGroup(string id, string name, Func<Persona, bool> joins)
    {
        List<Persona> members = [.. Members.Where(joins)];
        // A group worth showing has a few members, whatever the seed gave it.
        foreach (var extra in Shuffled(Members, p => members.Contains(p) ? 0 : 1).Take(Math.Max(0, 4 - members.Count)))
        {
            members.Add(extra);
        }
        _groups.Add(new DemoGroup(id, name, members));
    }

    // ------------------------------------------------------------------ setup

    private void ScheduleSetup()
    {
        var day0 = Day(0);
        for (var i = 0; i < _people.Count; i++)
        {
            var p = _people[i];
            At(day0.AddHours(6).AddMinutes(i), () => Emit(new AddMember(
                p.Id, p.Name, p.Has(Traits.InMailOff) ? false : null, p.Has(Traits.NoGroupMessages) ? false : null, p.Zone.Id, p.Headline, p.Company)));
        }
        for (var g = 0; g < _groups.Count; g++)
        {
            var group = _groups[g];
            var at = day0.AddHours(7).AddMinutes(30 + (g * 10));
            At(at, () => Emit(new CreateGroup(group.Id, group.Name, group.Members[0].Id)));
            for (var m = 1; m < group.Members.Count; m++)
            {
                var member = group.Members[m];
                At(at.AddSeconds(20 * m), () => Emit(new JoinGroup(member.Id, group.Id)));
            }
        }
        // Most connections exist from the start; about one in seven is made later by an accepted request.
        foreach (var (a, b) in _edges)
        {
            if (a.Kind != Kind.Operator && Chance(0.15))
            {
                var (from, to) = Chance(0.5) ? (a, b) : (b, a);
                var day = _rng.Next(3, 31);
                At(WorkTime(day, from), () => TryInvite(from, to, Chance(0.5) ? Texts.Note(_rng, from, to) : null, 1.0));
            }
            else
            {
                At(day0.AddHours(8).AddMinutes(_rng.Next(0, 62 * 60)), () => Emit(new Connect(a.Id, b.Id)));
            }
        }
        foreach (var p in _people.Where(p => p.Has(Traits.InMailOffLater)))
        {
            At(WorkTime(6, p), () => Emit(new ChangeSettings(p.Id, Inmail: false)));
        }
    }

    private void SchedulePlans()
    {
        foreach (var p in _people.Where(p => p.Plan is not null))
        {
            // The personas to try start on day 0, so their renewal has happened by now.
            var stars = DemoNetwork.SignIns.Any(s => s.Member == p.Id);
            var day = stars ? 0 : p.Has(Traits.Cancels) ? 12 : _rng.Next(0, 10);
            _startDay[p.Id] = day;
            var at = day == 0 ? Day(0).AddHours(9).AddMinutes(_rng.Next(0, 600)) : WorkTime(day, p);
            At(at, () => Emit(new Subscribe(p.Id, p.Plan!, p.Billing)));
            if (p.Has(Traits.OpenProfile))
            {
                At(WorkTime(day + _rng.Next(1, 4), p), () => Emit(new ChangeSettings(p.Id, OpenProfile: true)));
            }
            if (p.Has(Traits.Upgrades))
            {
                At(WorkTime(22, p), () => Emit(new ChangePlan(p.Id, "premium-business", "monthly")));
            }
            if (p.Has(Traits.Cancels))
            {
                At(WorkTime(33, p), () => Emit(new Cancel(p.Id)));
            }
        }

        var admin = _people.Single(p => p.Has(Traits.TeamAdmin));
        List<string> seats = [admin.Id, .. _people.Where(p => p.Has(Traits.TeamSeat) && p != admin).Select(p => p.Id)];
        // The team came over from the company's earlier account with its seats, as an import does;
        // the late seat is offered by the admin and accepted, as members do it on the Team page.
        At(Day(1).AddHours(15), () => Emit(new CreateTeam(TeamId, TeamPlan, seats, "annual", 40, admin.Id)));
        foreach (var seat in _people.Where(p => p.Has(Traits.TeamSeat)))
        {
            _startDay[seat.Id] = 1;
        }
        var late = _people.Single(p => p.Has(Traits.LateSeat));
        _startDay[late.Id] = 16;
        At(Day(16).AddHours(15), () => Emit(new OfferSeat(TeamId, late.Id)));
        At(Day(16).AddHours(17), () => Emit(new AcceptSeat(TeamId, late.Id)));
        At(Day(20).AddHours(16), () => Emit(new SetSeatCap(TeamId, 35)));

        var professional = _people.First(p => p.Plan == "recruiter-professional");
        At(Day(14).AddHours(10), () => Emit(new Buy("maya.chen", 25)));
        At(WorkTime(19, professional), () => Emit(new Buy(professional.Id, 50)));
        At(Day(24).AddHours(15), () => Emit(new Buy("daniel.okafor", 10)));
        At(Day(27).AddHours(17), () => Emit(new Buy(seats[1], 10)));
        At(Day(8).AddHours(11), () => Emit(new GrantBonus("priya.raman", 5, 60, "Referral reward: a friend you invited joined Premium")));
        At(Day(30).AddHours(12), () => Emit(new GrantBonus(professional.Id, 20, 90, "Service credit for the InMail delivery delay")));
        At(Day(37).AddHours(14), BlockAfterDecline);
    }

    /// <summary>Connection requests that end otherwise than accepted: ignored, withdrawn, and left pending with a note.</summary>
    private void ScheduleInvitations()
    {
        foreach (var day in (int[])[10, 18])
        {
            At(Day(day).AddHours(13), () =>
            {
                if (Inviter(Pick(Members.ToList()), out var from, out var to))
                {
                    TryInvite(from, to, null, 0);
                    At(After(12 * 60, 48 * 60), () => IfPending(from, to, () => Emit(new IgnoreInvite(from.Id, to.Id))));
                }
            });
        }
        At(Day(12).AddHours(11), () =>
        {
            if (Inviter(Pick(Members.ToList()), out var from, out var to))
            {
                TryInvite(from, to, Texts.Note(_rng, from, to), 0);
                At(After(5 * 24 * 60, 7 * 24 * 60), () => IfPending(from, to, () =>
                {
                    Emit(new WithdrawInvite(from.Id, to.Id));
                    _withdrawn.Add((from.Id, to.Id));
                }));
            }
        });
        List<Persona> targets = [P("lucas.moreau"), P("maya.chen"), P("priya.raman"), P("daniel.okafor"), P("sofia.alvarez"), .. Members.Where(_ => Chance(0.08))];
        foreach (var target in targets)
        {
            At(Day(_rng.Next(30, 41)).AddHours(_rng.Next(7, 20)), () =>
            {
                if (Inviter(target, out var from, out var to))
                {
                    TryInvite(from, to, Texts.Note(_rng, from, to), 0);
                }
            });
        }
    }

    /// <summary>Someone to send <paramref name="to"/> a request: not connected, nothing pending, no planned connection.</summary>
    private bool Inviter(Persona to, out Persona from, out Persona invitee)
    {
        invitee = to;
        foreach (var candidate in Shuffled(Members, c => c == to ? 0 : c.Kind == Kind.Recruiter || Related(c.Kind, to.Kind) ? 3 : 1))
        {
            if (!_edgeSet.Contains(Key(candidate.Id, to.Id)) && CanInvite(candidate, to))
            {
                from = candidate;
                return true;
            }
        }
        from = to;
        return false;
    }

    // ------------------------------------------------------------------ daily activity

    private void ScheduleDay(int day)
    {
        var weekday = Day(day).DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
        if (day == 3)
        {
            var maya = P("maya.chen");
            At(WorkTime(day, maya, 9, 10), () => Outreach(maya, P("lucas.moreau"), "accept"));
        }
        foreach (var p in _people)
        {
            var count = OutreachCount(p, day, weekday);
            for (var i = 0; i < count; i++)
            {
                At(WorkTime(day, p), () => Outreach(p));
            }
        }
        if (weekday && Chance(0.6))
        {
            var sender = Pick(Members.Where(p => !p.PaysForInMail && p.Kind is Kind.JobSeeker or Kind.Engineer or Kind.Designer or Kind.Marketer).ToList());
            At(WorkTime(day, sender), () => OpenProfileOutreach(sender));
        }
        var chats = weekday ? _rng.Next(6, 12) : _rng.Next(1, 4);
        for (var i = 0; i < chats; i++)
        {
            var sender = Pick(Members.ToList());
            At(WorkTime(day, sender, 7, 22), () => Chat(sender));
        }
        var groupMessages = _rng.Next(0, 3);
        for (var i = 0; i < groupMessages; i++)
        {
            var sender = Pick(Members.ToList());
            At(WorkTime(day, sender), () => GroupMessage(sender));
        }
    }

    private int OutreachCount(Persona p, int day, bool weekday)
    {
        if (!p.PaysForInMail || !_startDay.TryGetValue(p.Id, out var start) || day <= start)
        {
            return 0;
        }
        if (!weekday)
        {
            return p.Kind == Kind.Recruiter && Chance(0.1) ? 1 : 0;
        }
        return p.Kind switch
        {
            Kind.Recruiter => p.Id == "maya.chen" ? _rng.Next(2, 4) : _rng.Next(1, 3),
            Kind.Sales => _rng.Next(1, 3),
            Kind.Founder => Chance(0.4) ? 1 : 0,
            Kind.JobSeeker => Chance(0.3) ? 1 : 0,
            _ => 0,
        };
    }

    private static double TargetWeight(Kind sender, Kind recipient) => (sender, recipient) switch
    {
        (Kind.Recruiter, Kind.Engineer) => 5,
        (Kind.Recruiter, Kind.Designer or Kind.JobSeeker) => 3,
        (Kind.Recruiter, Kind.Executive or Kind.Marketer) => 1,
        (Kind.Sales, Kind.Executive) => 5,
        (Kind.Sales, Kind.Founder) => 3,
        (Kind.Sales, Kind.Marketer) => 2,
        (Kind.Sales, Kind.Engineer) => 1,
        (Kind.Founder, Kind.Executive) => 3,
        (Kind.Founder, Kind.Engineer or Kind.Founder) => 2,
        (Kind.Founder, Kind.Sales or Kind.Designer) => 1,
        (Kind.JobSeeker, Kind.Recruiter) => 4,
        (Kind.JobSeeker, Kind.Executive) => 3,
        (Kind.JobSeeker, Kind.Founder) => 2,
        _ => 0,
    };

    private static double ResponseChance(Kind sender) => sender switch
    {
        Kind.Recruiter => 0.45,
        Kind.Sales => 0.3,
        Kind.JobSeeker => 0.5,
        _ => 0.4,
    };

    /// <summary>A first InMail to a stranger the sender has never written to; the first candidate the engine quotes as an InMail gets it.</summary>
    private void Outreach(Persona sender, Persona? only = null, string? answer = null)
    {
        var candidates = only is null ? Shuffled(Members, r => r == sender ? 0 : TargetWeight(sender.Kind, r.Kind)) : [only];
        foreach (var recipient in candidates.Take(12))
        {
            if (_engine.State.FindConversation(sender.Id, recipient.Id) is not null)
            {
                continue;
            }
            var (subject, body) = Texts.Outreach(_rng, sender, recipient);
            if (TrySend(sender, recipient, subject, body, SendPath.InMail, SendPath.OpenProfile) is { } id)
            {
                React(id, sender, recipient, subject, ResponseChance(sender.Kind), followUp: true, answer);
                return;
            }
        }
    }

    /// <summary>A free member writes to someone with Open Profile: an InMail that costs nothing.</summary>
    private void OpenProfileOutreach(Persona sender)
    {
        foreach (var recipient in Shuffled(Members, r => r != sender && r.Has(Traits.OpenProfile) ? 1 : 0))
        {
            if (_engine.State.FindConversation(sender.Id, recipient.Id) is not null)
            {
                continue;
            }
            var (subject, body) = Texts.OpenProfile(_rng, sender, recipient);
            if (TrySend(sender, recipient, subject, body, SendPath.OpenProfile) is { } id)
            {
                React(id, sender, recipient, subject, 0.5, followUp: false, null);
                return;
            }
        }
    }

    /// <summary>What the recipient of an InMail does: answers within hours or days, reads it, or leaves it; the sender may follow up.</summary>
    private void React(string id, Persona sender, Persona recipient, string subject, double chance, bool followUp, string? answer)
    {
        if (answer is not null || Chance(chance))
        {
            var delay = 45 + (int)(Math.Pow(_rng.NextDouble(), 2) * 3 * 24 * 60);
            At(Awake(recipient, _clock.AddMinutes(delay)), () => Answer(id, sender, recipient, answer));
            return;
        }
        if (Chance(0.55))
        {
            At(After(90, 40 * 60), () => Read(recipient, sender));
        }
        if (followUp && Chance(0.4))
        {
            At(After(sender, 6 * 24 * 60, 9 * 24 * 60), () => FollowUp(id, sender, recipient, subject));
        }
    }

    private void Answer(string id, Persona sender, Persona recipient, string? kind)
    {
        if (Blocked(sender, recipient))
        {
            return;
        }
        var roll = _rng.NextDouble();
        kind ??= roll < 0.4 ? "accept" : roll < 0.8 ? "reply" : "decline";
        Emit(new Respond(recipient.Id, id, kind, Texts.Answer(_rng, kind, sender, recipient)));
        if (kind == "decline")
        {
            _declined.Add((recipient, sender));
            if (Chance(0.3))
            {
                At(After(recipient, 20, 600), () => Emit(new Archive(recipient.Id, sender.Id)));
            }
            if (Chance(0.7))
            {
                At(After(30, 720), () => Read(sender, recipient));
            }
            return;
        }
        if (Chance(0.75))
        {
            At(After(sender, 30, 20 * 60), () => NextStep(sender, recipient));
        }
        if (sender.Kind is Kind.Recruiter or Kind.Founder or Kind.Sales && Chance(0.35))
        {
            At(After(sender, 120, 3 * 24 * 60), () => TryInvite(sender, recipient, Texts.Note(_rng, sender, recipient), 0.9));
        }
    }

    /// <summary>After a positive answer the conversation is open: the sender proposes a call, the recipient often confirms.</summary>
    private void NextStep(Persona sender, Persona recipient)
    {
        if (TrySend(sender, recipient, null, Texts.NextStep(_rng, sender, recipient), SendPath.Message) is null)
        {
            return;
        }
        if (Chance(0.6))
        {
            At(After(recipient, 60, 30 * 60), () =>
            {
                if (TrySend(recipient, sender, null, Texts.Confirm(_rng, recipient, sender), SendPath.Message) is not null && Chance(0.7))
                {
                    At(After(30, 600), () => Read(sender, recipient));
                }
            });
        }
        else if (Chance(0.6))
        {
            At(After(60, 24 * 60), () => Read(recipient, sender));
        }
    }

    private void FollowUp(string id, Persona sender, Persona recipient, string subject)
    {
        if (_engine.State.FindMessage(id) is not { RespondedAt: null })
        {
            return;
        }
        var followUp = subject.StartsWith("Re: ", StringComparison.Ordinal) ? subject : $"Re: {subject}";
        if (TrySend(sender, recipient, followUp, Texts.FollowUp(_rng, sender, recipient), SendPath.InMail, SendPath.OpenProfile) is { } next)
        {
            React(next, sender, recipient, followUp, 0.3, followUp: false, null);
        }
    }

    /// <summary>A plain message to a connection, often answered.</summary>
    private void Chat(Persona sender)
    {
        var member = _engine.State.FindMember(sender.Id)!;
        var connections = member.Connections.Where(c => c != DemoNetwork.OperatorId).Order(StringComparer.Ordinal).ToList();
        if (connections.Count == 0)
        {
            return;
        }
        var recipient = P(connections[_rng.Next(connections.Count)]);
        if (TrySend(sender, recipient, null, Texts.Chat(_rng, sender, recipient), SendPath.Message) is null)
        {
            return;
        }
        if (Chance(0.55))
        {
            At(After(recipient, 30, 30 * 60), () =>
            {
                if (TrySend(recipient, sender, null, Texts.ChatReply(_rng, recipient, sender), SendPath.Message) is not null && Chance(0.5))
                {
                    At(After(20, 12 * 60), () => Read(sender, recipient));
                }
            });
        }
        else if (Chance(0.6))
        {
            At(After(60, 48 * 60), () => Read(recipient, sender));
        }
    }

    /// <summary>A free message to a fellow group member the sender does not know yet.</summary>
    private void GroupMessage(Persona sender)
    {
        var groups = _groups.Where(g => g.Members.Contains(sender)).ToList();
        if (groups.Count == 0)
        {
            return;
        }
        var group = Pick(groups);
        foreach (var recipient in Shuffled(group.Members, r => r == sender ? 0 : 1).Take(6))
        {
            if (_engine.State.FindConversation(sender.Id, recipient.Id) is not null)
            {
                continue;
            }
            var (subject, body) = Texts.Group(_rng, sender, recipient, group.Name);
            if (TrySend(sender, recipient, subject, body, SendPath.Group) is null)
            {
                continue;
            }
            if (Chance(0.5))
            {
                At(After(recipient, 60, 48 * 60), () => TrySend(recipient, sender, null, Texts.ChatReply(_rng, recipient, sender), SendPath.Message));
            }
            else if (Chance(0.5))
            {
                At(After(60, 48 * 60), () => Read(recipient, sender));
            }
            return;
        }
    }

    /// <summary>One declined sender gets blocked near the end (the first decline whose two members never connected).</summary>
    private void BlockAfterDecline()
    {
        foreach (var (member, sender) in _declined)
        {
            if (sender.Kind == Kind.Sales && !_engine.State.AreConnected(member.Id, sender.Id) && !Blocked(member, sender))
            {
                Emit(new Block(member.Id, sender.Id));
                return;
            }
        }
    }

    // ------------------------------------------------------------------ commands

    private string? TrySend(Persona from, Persona to, string? subject, string body, params SendPath[] paths)
    {
        var quote = _engine.Quote(_clock, new SendRequest(from.Id, to.Id, subject, body));
        if (!quote.IsSuccess || !paths.Contains(quote.Value.Path))
        {
            return null;
        }
        var id = string.Create(CultureInfo.InvariantCulture, $"demo-m-{++_messages:D4}");
        Emit(new Send(from.Id, to.Id, quote.Value.Path == SendPath.Message ? null : subject, body, id));
        return id;
    }

    private bool CanInvite(Persona from, Persona to)
    {
        var state = _engine.State;
        var a = state.FindMember(from.Id);
        var b = state.FindMember(to.Id);
        return a is not null && b is not null && a != b
            && !state.IsBlockedEitherWay(a, b)
            && !a.Connections.Contains(b.Id)
            && state.FindInvitation(from.Id, to.Id) is null
            && state.FindInvitation(to.Id, from.Id) is null
            && !_withdrawn.Contains((from.Id, to.Id))
            && Degree(a) < 19 && Degree(b) < 19;
    }

    /// <summary>Connections plus requests waiting either way: what the member could have once all are accepted.</summary>
    private int Degree(Member member) =>
        member.Connections.Count + _engine.State.Invitations.Count(i => i.From == member.Id || i.To == member.Id);

    /// <summary>Sends a connection request when the engine would take it; the invitee accepts it later with the given chance.</summary>
    private void TryInvite(Persona from, Persona to, string? note, double acceptChance)
    {
        if (!CanInvite(from, to))
        {
            return;
        }
        if (note is not null && !_engine.IsPaid(_engine.State.FindMember(from.Id)!))
        {
            // Basic members attach a note to at most five requests a calendar month; stay well under.
            var month = (from.Id, (_clock.Year * 12) + _clock.Month);
            var used = _basicNotes.GetValueOrDefault(month);
            if (used >= 3)
            {
                note = null;
            }
            else
            {
                _basicNotes[month] = used + 1;
            }
        }
        Emit(new Invite(from.Id, to.Id, note));
        if (Chance(acceptChance))
        {
            At(After(to, 120, 3 * 24 * 60), () => IfPending(from, to, () => Emit(new AcceptInvite(from.Id, to.Id))));
        }
    }

    private void IfPending(Persona from, Persona to, Action action)
    {
        if (_engine.State.FindInvitation(from.Id, to.Id) is not null)
        {
            action();
        }
    }

    private void Read(Persona reader, Persona other)
    {
        if (_engine.State.FindConversation(reader.Id, other.Id)?.UnreadFor(reader.Id) > 0)
        {
            Emit(new MarkRead(reader.Id, other.Id));
        }
    }

    private bool Blocked(Persona a, Persona b) =>
        _engine.State.IsBlockedEitherWay(_engine.State.FindMember(a.Id)!, _engine.State.FindMember(b.Id)!);

    /// <summary>
    /// Maya's outreach tools and inbox workspace (SPEC §10–§11), the day before now: templates, an
    /// A/B follow-up sequence with three members she never wrote to enrolled (their day-3 step still to come), her
    /// shortlist labelled, one conversation snoozed and one reminder set, both due after now.
    /// </summary>
    private void MayasWorkspace()
    {
        const string maya = "maya.chen";
        Emit(new SaveTemplate(maya, "intro-short", "{{firstName}}, your work on {{company|your team}}'s platform stood out. Open to a 15-minute chat about a staff role?",
            "Staff role, {{firstName}}?"));
        Emit(new SaveTemplate(maya, "intro-story", "{{firstName}}, I lead hiring for a small platform team that ships weekly. Would a call this week work?",
            "A platform team that ships, {{firstName}}"));
        Emit(new SaveTemplate(maya, "nudge", "{{firstName}}, bringing this back up in case it got buried. Is a short call worth it?"));
        Emit(new SaveSequence(maya, "staff-platform", [new(0, Variants: ["intro-short", "intro-story"]), new(3, "nudge"), new(7, "nudge")]));
        var me = _engine.State.FindMember(maya)!;
        var strangers = _people.OrderBy(p => p.Kind == Kind.Engineer ? 0 : 1).Where(p => p.Kind != Kind.Recruiter && p.Id != maya && _engine.State.FindConversation(maya, p.Id) is null
            && !me.Connections.Contains(p.Id) && _engine.State.FindMember(p.Id) is { InMailEnabled: true } m && !_engine.State.IsBlockedEitherWay(me, m))
            .Take(3).Select(p => p.Id).ToList();
        if (strangers.Count > 0 && _engine.QuoteEnrollment(_clock, maya, "staff-platform", strangers) is { IsSuccess: true, Value: { CanEnroll: true } quote }
            && quote.CreditsFirstStep <= quote.CreditsAvailable && quote.Rows.All(r => r.Code is null))
        {
            Emit(new Enroll(maya, "staff-platform", Recipients: strangers));
        }
        var conversations = _engine.State.ConversationsOf(maya).Where(c => c.IsActiveFor(maya)).OrderByDescending(c => c.ActivityFor(maya)).ToList();
        foreach (var c in conversations.Take(2))
        {
            Emit(new LabelConversation(maya, c.Pair.Other(maya), Add: ["Shortlist"]));
        }
        if (conversations.FirstOrDefault(c => c.HasWritten(c.Pair.Other(maya))) is { } answered)
        {
            // A role brief attached to her latest conversation with someone who wrote back (SPEC §11); the seeder stores its bytes under the same id.
            var to = answered.Pair.Other(maya);
            var brief = new Domain.Messaging.Attachment("staff-platform-role.txt", DemoNetwork.RoleBrief.Length, Domain.Messaging.AttachmentTypes.Text, DemoNetwork.RoleBriefId);
            var send = new Send(maya, to, "The role, in writing", "As promised, the role brief is attached. Questions welcome.", Attachments: [brief]);
            if (_engine.Quote(_clock, new SendRequest(maya, to, send.Subject, send.Body) { Attachments = send.Attachments }).IsSuccess)
            {
                Emit(send);
            }
        }
        if (conversations.Count > 3)
        {
            Emit(new Remind(maya, conversations[2].Pair.Other(maya), Format(_cutoff.AddDays(2))));
            Emit(new SnoozeConversation(maya, conversations[3].Pair.Other(maya), Format(_cutoff.AddDays(1))));
        }
    }

    private static string Format(DateTimeOffset t) => Domain.Time.UtcCalendar.Format(t);


    /// <summary>Applies a command at the current instant and keeps it; a refusal here is a bug in the builder.</summary>
    private void Emit(Command command)
    {
        var outcome = command.Apply(_engine, _clock);
        if (!outcome.IsSuccess)
        {
            throw new InvalidOperationException($"The demo network's step {_steps.Count} ({command.Verb}) was refused: {outcome.Refusal}");
        }
        _steps.Add(new DemoStep(_clock, command));
    }

    // ------------------------------------------------------------------ time and chance

    private DateTimeOffset Day(int day) => _origin.AddDays(day);

    /// <summary>A time on <paramref name="day"/> (UTC) that falls in the persona's working hours.</summary>
    private DateTimeOffset WorkTime(int day, Persona p, int fromHour = 8, int toHour = 18)
    {
        var local = _rng.Next(fromHour * 60, toHour * 60);
        var utc = (((local - (p.Zone.Offset * 60)) % 1440) + 1440) % 1440;
        return Day(day).AddMinutes(utc);
    }

    private DateTimeOffset After(int minMinutes, int maxMinutes) => _clock.AddMinutes(_rng.Next(minMinutes, maxMinutes + 1));

    /// <summary>Like <see cref="After(int, int)"/>, moved to when <paramref name="p"/> is awake.</summary>
    private DateTimeOffset After(Persona p, int minMinutes, int maxMinutes) => Awake(p, After(minMinutes, maxMinutes));

    /// <summary>The instant itself when it falls between 07:00 and 21:00 for <paramref name="p"/>, otherwise shortly after 07:00 their next morning.</summary>
    private DateTimeOffset Awake(Persona p, DateTimeOffset t)
    {
        var local = (int)((t.TimeOfDay.TotalMinutes + (p.Zone.Offset * 60) + 1440) % 1440);
        var wait = local < 7 * 60 ? (7 * 60) - local : local >= 21 * 60 ? (31 * 60) - local : 0;
        return wait == 0 ? t : t.AddMinutes(wait + _rng.Next(0, 90));
    }

    private void At(DateTimeOffset at, Action action)
    {
        if (at < _clock)
        {
            throw new InvalidOperationException("A demo event cannot be scheduled in the past.");
        }
        _queue.Enqueue(action, (at, _seq++));
    }

    private bool Chance(double p) => _rng.NextDouble() < p;

    private T Pick<T>(IReadOnlyList<T> items) => items[_rng.Next(items.Count)];

    /// <summary>A weighted random order (weight 0 leaves a person out), the same for the same seed.</summary>
    private List<Persona> Shuffled(IEnumerable<Persona> people, Func<Persona, double> weight)
    {
        var keyed = new List<(double Key, int Index, Persona Person)>();
        foreach (var p in people)
        {
            var w = weight(p);
            if (w > 0)
            {
                keyed.Add((Math.Pow(_rng.NextDouble(), 1 / w), keyed.Count, p));
            }
        }
        keyed.Sort((a, b) => a.Key == b.Key ? a.Index.CompareTo(b.Index) : b.Key.CompareTo(a.Key));
        return [.. keyed.Select(k => k.Person)];
    }
}

/// <summary>
/// The words of the demo: outreach that reads like the real thing. <c>{first}</c> is the reader's first
/// name, <c>{me}</c> and <c>{myname}</c> the writer's, <c>{company}</c> the writer's company,
/// <c>{rco}</c> the reader's, <c>{myrole}</c> the writer's role, <c>{city}</c> the reader's city.
/// </summary>
file static class Texts
{
    private static readonly string[] Topics =
    [
        "remote hiring", "platform engineering", "design systems", "usage-based pricing", "sales development",
        "moving from engineering into product", "observability on a budget", "building a first data team",
    ];

    private static readonly Dictionary<Kind, string[]> RecruiterRoles = new()
    {
        [Kind.Engineer] = ["Senior Backend Engineer", "Staff Platform Engineer", "Engineering Manager, Payments", "Senior Site Reliability Engineer", "Lead Data Engineer"],
        [Kind.Designer] = ["Lead Product Designer", "Senior UX Researcher", "Principal Designer, Design Systems"],
        [Kind.JobSeeker] = ["Senior Product Manager", "Analytics Lead", "Customer Success Manager", "Frontend Engineer"],
        [Kind.Executive] = ["VP Engineering", "Head of Product", "Director of Growth"],
        [Kind.Marketer] = ["Head of Growth", "Product Marketing Lead"],
    };

    private static readonly string[] Clients =
    [
        "a Series B fintech in London", "a climate-tech scale-up hiring across Europe", "a remote-first healthcare data company",
        "a profitable logistics SaaS in Singapore", "one of Europe's fastest-growing payments companies", "a robotics start-up fresh from its Series A",
    ];

    private static readonly string[] Pains =
    [
        "the cloud bill", "security review time", "manual invoice reconciliation", "onboarding time for new hires",
        "shipping reliability at peak season", "churn in the first 90 days",
    ];

    public static (string Subject, string Body) Outreach(Random rng, Persona writer, Persona reader) => writer.Kind switch
    {
        Kind.Recruiter => Recruiter(rng, writer, reader),
        Kind.Sales => Sales(rng, writer, reader),
        Kind.Founder => Founder(rng, writer, reader),
        Kind.JobSeeker => Seeker(rng, writer, reader),
        _ => OpenProfile(rng, writer, reader),
    };

    private static (string, string) Recruiter(Random rng, Persona writer, Persona reader)
    {
        var role = Pick(rng, RecruiterRoles.GetValueOrDefault(reader.Kind) ?? RecruiterRoles[Kind.Engineer]);
        var client = Pick(rng, Clients);
        var subject = Pick(rng, ["{role} at {client}", "Are you open to talking about the {role} role, {first}?", "{role} opportunity (remote-friendly)", "Confidential search: {role}"]);
        var body = Pick(rng,
        [
            "Hi {first},\n\nI came across your profile and your work at {rco} stood out. I'm filling the {role} role at {client}. The team is small, ships weekly and works mostly remotely, within a few hours of {city}.\n\nCompensation is competitive with equity, and the process is three conversations, no take-home test.\n\nWould you be open to a 20-minute call this week or next?\n\nBest,\n{me}",
            "Hello {first},\n\nQuick one: I'm working with {client} on their {role} search, and your background looks like a strong match. They want someone who has scaled systems and enjoys mentoring.\n\nHappy to share the full brief and the salary band before you commit to anything. Interested?\n\n{myname}, {company}",
            "Hi {first}, I hope this isn't out of the blue. I'm looking for the next {role} at {client}, and two people I trust mentioned your name. If the timing isn't right, no problem at all; if you're curious, I'd love to tell you more.\n\nThanks,\n{me}",
        ]);
        return (Fill(subject, writer, reader, ("{role}", role), ("{client}", client)), Fill(body, writer, reader, ("{role}", role), ("{client}", client)));
    }

    private static (string, string) Sales(Random rng, Persona writer, Persona reader)
    {
        var pain = Pick(rng, Pains);
        var subject = Pick(rng, ["Idea for {rco}: {pain}", "{first}, 15 minutes on {pain}?", "How teams like {rco} tackle {pain}", "Quick question about {pain} at {rco}"]);
        var body = Pick(rng,
        [
            "Hi {first},\n\nTeams at {rco}'s stage often tell us that {pain} quietly gets harder as they grow. At {company} we helped a company of a similar size cut it by about a third in one quarter, without changing their stack.\n\nWould 15 minutes next week be useful? If it's not a priority, just say so and I won't keep chasing.\n\nBest regards,\n{myname}",
            "Hello {first},\n\nI noticed {rco} is hiring quickly, which is usually when {pain} starts to hurt. I've put together a one-page benchmark of how similar companies handle it; happy to send it over, no strings attached.\n\nWorth a short call?\n\n{me}, {company}",
            "Hi {first}, congratulations on the recent growth at {rco}. I work with operations leaders on {pain}, and a few of your peers in {city} have found our approach useful. Open to comparing notes for 15 minutes?\n\nThanks,\n{me}",
        ]);
        return (Fill(subject, writer, reader, ("{pain}", pain)), Fill(body, writer, reader, ("{pain}", pain)));
    }

    private static (string, string) Founder(Random rng, Persona writer, Persona reader)
    {
        if (reader.Kind == Kind.Engineer)
        {
            return (Fill("Founding engineer role at {company}", writer, reader), Fill(
                "Hi {first},\n\nI'm {me}, founder of {company}. We're a team of six, funded, and looking for a founding engineer who likes owning problems end to end. Your experience at {rco} caught my eye.\n\nNo recruiters and no process theatre: a call with me, a paid half-day project and lunch with the team. Would you be up for a call?\n\n{me}",
                writer, reader));
        }
        var topic = Pick(rng, Topics);
        var (subject, body) = Pick<(string, string)>(rng,
        [
            ("Partnership idea: {company} x {rco}", "Hi {first},\n\nI run {company}, and we keep hearing {rco}'s name from our customers. I think there's a simple integration that would help both of our users, and I'd love 20 minutes to test the idea with you.\n\nIf partnerships aren't your area, could you point me to the right person?\n\nThanks,\n{myname}"),
            ("Advice on {topic}?", "Hi {first}, I'm building {company} and we're wrestling with {topic}, which you've clearly solved at {rco}. Would you be open to a 20-minute call? Happy to return the favour any time.\n\nBest,\n{me}"),
        ]);
        return (Fill(subject, writer, reader, ("{topic}", topic)), Fill(body, writer, reader, ("{topic}", topic)));
    }

    private static (string, string) Seeker(Random rng, Persona writer, Persona reader)
    {
        var subject = Pick(rng, ["Experienced {myrole} interested in {rco}", "{myrole} looking for the next challenge", "Could I ask you about hiring at {rco}?"]);
        var body = Pick(rng,
        [
            "Hi {first},\n\nI'm a {myrole} with seven years of experience, most recently at {company}. I've followed {rco} for a while and I'd love to be considered for any openings on your team, now or later this year.\n\nMy profile has the details, and I'd be grateful for 15 minutes of your time.\n\nThank you,\n{myname}",
            "Hello {first}, I hope you don't mind a direct note. I'm looking for my next role as a {myrole}, and {rco} is at the top of my list. If you're hiring, or know who is, I'd really appreciate a pointer.\n\nBest wishes,\n{me}",
        ]);
        return (Fill(subject, writer, reader), Fill(body, writer, reader));
    }

    public static (string Subject, string Body) OpenProfile(Random rng, Persona writer, Persona reader)
    {
        var topic = Pick(rng, Topics);
        var subject = Pick(rng, ["Quick question about {rco}", "Loved your post on {topic}", "Advice on {topic}?"]);
        var body = Pick(rng,
        [
            "Hi {first},\n\nI saw your post about {topic} and it resonated. I'm a {myrole} at {company} working on something similar. Would you be open to a short call in the next couple of weeks?\n\nThanks either way,\n{me}",
            "Hi {first}, thanks for keeping your profile open. I'm exploring a move into {topic} and would value ten minutes of your perspective. No pitch, I promise.\n\n{myname}",
        ]);
        return (Fill(subject, writer, reader, ("{topic}", topic)), Fill(body, writer, reader, ("{topic}", topic)));
    }

    public static string FollowUp(Random rng, Persona writer, Persona reader) => Fill(Pick(rng,
    [
        "Hi {first}, just bringing this back to the top of your inbox in case it got buried. A one-line reply either way really helps.\n\nThanks,\n{me}",
        "Hi {first}, one last note from me on this. If the timing is wrong, no problem at all, and I'll close the loop on my side.\n\nBest,\n{me}",
    ]), writer, reader);

    /// <summary>The recipient's response to an InMail from <paramref name="sender"/>; null for a bare accept or decline.</summary>
    public static string? Answer(Random rng, string kind, Persona sender, Persona recipient)
    {
        string?[] options = kind switch
        {
            "accept" => [null, "Thanks {first}, happy to talk. Tuesday or Wednesday afternoon works for me.", "Sounds interesting. Send over the details and a couple of times that suit you."],
            "decline" => [null, "Thanks, but I'm happy where I am for now.", "Not interested at this time, but good luck with it."],
            _ => sender.Kind switch
            {
                Kind.Recruiter =>
                [
                    "Hi {first}, thanks for reaching out. I'm not actively looking, but I'd like to hear the salary band before deciding.",
                    "Appreciate the note! Could you share more about the team size and the stack?",
                    "Thanks {first}. Timing is tricky this quarter, but let's talk early next year.",
                    "Not for me right now, but a former colleague might be a great fit. Shall I introduce you?",
                ],
                Kind.JobSeeker =>
                [
                    "Hi {first}, thanks for getting in touch. We have an opening that might fit; I'll send you the link. Could you also email me your CV?",
                    "Thanks for reaching out. Nothing open right now, but I'll keep you in mind and let you know if that changes.",
                ],
                _ =>
                [
                    "Thanks {first}. We looked at something similar last year; what's changed since?",
                    "Could you send the benchmark over? I'll take a look before committing to a call.",
                    "Interesting. Can you do Thursday at 4pm my time?",
                ],
            },
        };
        var text = options[rng.Next(options.Length)];
        return text is null ? null : Fill(text, recipient, sender);
    }

    public static string NextStep(Random rng, Persona writer, Persona reader) => Fill(Pick(rng,
    [
        "Great, thank you {first}! Does Thursday at 10:00 your time work? I'll send a calendar invite.",
        "Perfect. I've just emailed you the full brief; let me know what you think.",
        "Thanks for getting back to me. I'll send a few slots for next week, pick whichever suits you.",
    ]), writer, reader);

    public static string Confirm(Random rng, Persona writer, Persona reader) => Fill(Pick(rng,
    [
        "Thursday works. Talk then!",
        "Got it, I'll read it tonight and come back to you.",
        "Booked for Friday morning. Thanks, {first}!",
    ]), writer, reader);

    public static string Chat(Random rng, Persona writer, Persona reader) => Fill(Pick(rng,
    [
        "Hi {first}, great seeing you at the meetup last week. Are you still looking for speakers for the next one?",
        "Congrats on the news at {rco}! Let's grab a coffee when things settle down.",
        "Do you have ten minutes this week? I'd like your take on a pricing question.",
        "Thanks again for the intro to your colleague, the call went really well.",
        "Are you going to the conference in {city} next month? Would be good to catch up.",
        "Sharing the article we talked about, the one on write-ahead logs. Worth ten minutes of your time.",
        "Quick one: who did you work with on your design system audit? We're about to start ours.",
        "Hope your week is going well, {first}! How did the launch go?",
    ]), writer, reader);

    public static string ChatReply(Random rng, Persona writer, Persona reader) => Fill(Pick(rng,
    [
        "Sounds good!",
        "Thanks, happy to help. How about Friday?",
        "Yes, I'll be there. Let's meet up.",
        "Thank you, {first}! Coffee next week?",
        "It went well, thanks for asking. Tired but happy.",
        "Sending you their details now.",
    ]), writer, reader);

    public static (string? Subject, string Body) Group(Random rng, Persona writer, Persona reader, string group)
    {
        var topic = Pick(rng, Topics);
        string? subject = Pick<string?>(rng, [null, "Hello from {group}", "Question from a fellow {group} member"]);
        var body = Pick(rng,
        [
            "Hi {first}, we're both in {group}. I'm putting together a panel on {topic} next month and would love to have you on it. Interested?",
            "Hi {first}, I saw your comment in {group} about {topic}. Could I ask you a couple of follow-up questions?",
            "Hi {first}, fellow {group} member here. We're organising a small dinner in {city} for members; would you like an invite?",
        ]);
        (string, string)[] extra = [("{group}", group), ("{topic}", topic)];
        return (subject is null ? null : Fill(subject, writer, reader, extra), Fill(body, writer, reader, extra));
    }

    /// <summary>A connection-request note, short enough for the free plan's 200 characters.</summary>
    public static string Note(Random rng, Persona writer, Persona reader) => Fill(Pick(rng,
    [
        "Hi {first}, we met at the {topic} meetup. Would be great to stay in touch.",
        "Enjoyed your post on {topic}. Let's connect!",
        "Hi {first}, I'm also working on {topic} and would love to connect.",
        "Great talking with you today, {first}. Connecting here so we stay in touch.",
    ]), writer, reader, ("{topic}", Pick(rng, Topics)));

    private static T Pick<T>(Random rng, IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    private static string Fill(string template, Persona writer, Persona reader, params (string Key, string Value)[] extra)
    {
        var text = template
            .Replace("{first}", reader.First, StringComparison.Ordinal)
            .Replace("{rco}", reader.Company, StringComparison.Ordinal)
            .Replace("{city}", reader.Zone.City, StringComparison.Ordinal)
            .Replace("{myname}", writer.Name, StringComparison.Ordinal)
            .Replace("{myrole}", writer.Role, StringComparison.Ordinal)
            .Replace("{me}", writer.First, StringComparison.Ordinal)
            .Replace("{company}", writer.Company, StringComparison.Ordinal);
        foreach (var (key, value) in extra)
        {
            text = text.Replace(key, value, StringComparison.Ordinal);
        }
        return text;
    }
}
