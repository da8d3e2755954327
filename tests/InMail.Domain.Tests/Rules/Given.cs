using System.Globalization;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Tests.Simulation;

namespace InMail.Domain.Tests.Rules;

/// <summary>A small fixture: a fresh engine on the default catalog and a clock the test moves.</summary>
internal sealed class Given
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public Given(PlanCatalog? catalog = null) => Engine = new InMailEngine(catalog ?? PlanCatalog.Default);

    public InMailEngine Engine { get; }
    public DateTimeOffset Now { get; set; } = Start;

    /// <summary>An explicit UTC instant.</summary>
    public static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    public static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    public static TimeSpan Days(int days) => TimeSpan.FromDays(days);

    public Given Members(params string[] ids)
    {
        foreach (var id in ids)
        {
            Ok(Engine.AddMember(Now, id, new Profile(id)));
        }
        return this;
    }

    /// <summary>Members m000 … m(n−1), for the limits that need many members.</summary>
    public IReadOnlyList<string> Many(string prefix, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => prefix + i.ToString("000", CultureInfo.InvariantCulture)).ToList();
        Members([.. ids]);
        return ids;
    }

    public Given Subscribe(string member, string plan = "premium-business", BillingPeriod billing = BillingPeriod.Monthly)
    {
        Ok(Engine.Subscribe(Now, member, plan, billing));
        return this;
    }

    public Given Connect(string a, string b)
    {
        Ok(Engine.Connect(Now, a, b));
        return this;
    }

    /// <summary>Puts the members in the group, creating it the first time.</summary>
    public Given Join(string group, params string[] members)
    {
        if (Engine.State.FindGroup(group) is null)
        {
            Ok(Engine.CreateGroup(group, group));
        }
        foreach (var m in members)
        {
            Ok(Engine.JoinGroup(Now, m, group));
        }
        return this;
    }

    public Given OpenProfile(string member)
    {
        Ok(Engine.ChangeSettings(Now, member, openProfile: true));
        return this;
    }

    public Given Buy(string member, int pack)
    {
        Ok(Engine.Buy(Now, member, pack));
        return this;
    }

    public Given Bonus(string member, int credits, int days)
    {
        Ok(Engine.GrantBonus(Now, member, credits, days, "promotion"));
        return this;
    }

    public Given Team(string id, string[] seats, int? seatCap = null, BillingPeriod billing = BillingPeriod.Monthly)
    {
        Ok(Engine.CreateTeam(Now, id, "sales-navigator-advanced", billing, seats, seatCap));
        return this;
    }

    public Given At(DateTimeOffset t)
    {
        Now = t;
        return this;
    }

    public Given After(TimeSpan by)
    {
        Now += by;
        return this;
    }

    public Member Member(string id) => Engine.State.FindMember(id) ?? throw new InvalidOperationException($"no member {id}");

    public CreditView View(string member) => Ok(Engine.Credits(Now, member));

    public int Credits(string member) => View(member).Usable;

    public int Frozen(string member) => View(member).Frozen;

    /// <summary>The live lots holding credits, in spending order, as (source, remaining, expires).</summary>
    public IReadOnlyList<(LotSource Source, int Remaining, DateTimeOffset Expires)> Lots(string member) =>
        View(member).Lots.Select(l => (l.Source, l.Remaining, l.Expires)).ToList();

    /// <summary>The member's own ledger, caught up to now.</summary>
    public IReadOnlyList<LedgerEntry> Ledger(string member)
    {
        Engine.CatchUp(Now, Member(member));
        return Member(member).Wallet.Ledger;
    }

    public Team TeamOf(string id) => Engine.State.FindTeam(id) ?? throw new InvalidOperationException($"no team {id}");

    public Outcome<Sent> InMail(string from, string to, string? id = null) =>
        Engine.Send(Now, new SendRequest(from, to, "Hello", "A short note."), id);

    public Outcome<Sent> Send(string from, string to, string? subject, string? body, string? id = null) =>
        Engine.Send(Now, new SendRequest(from, to, subject, body), id);

    public Outcome<Quote> Quote(string from, string to, string? subject = "Hello", string? body = "A short note.") =>
        Engine.Quote(Now, new SendRequest(from, to, subject, body));

    public Outcome<Responded> Respond(string member, string messageId, ResponseKind kind = ResponseKind.Reply, string? body = "Thanks, let us talk.") =>
        Engine.Respond(Now, member, messageId, kind, body);

    /// <summary>Sends an InMail and asserts it went.</summary>
    public Sent Sends(string from, string to, string? id = null) => Ok(InMail(from, to, id));

    /// <summary>
    /// Asserts the call is refused with <paramref name="code"/> and that it changed nothing the
    /// system holds (everything due up to now is caught up first, since that happens anyway).
    /// </summary>
    public Refusal Refuses<T>(RefusalCode code, Func<Outcome<T>> act)
    {
        ArgumentNullException.ThrowIfNull(act);
        var before = Snapshot();
        var outcome = act();
        Assert.False(outcome.IsSuccess, $"expected {code.ToCode()}, but the call went through: {outcome}");
        Assert.Equal(code, outcome.Refusal.Code);
        Assert.Equal(before, Snapshot());
        return outcome.Refusal;
    }

    public static T Ok<T>(Outcome<T> outcome)
    {
        Assert.True(outcome.IsSuccess, outcome.ToString());
        return outcome.Value;
    }

    /// <summary>Everything observable in the state, as text, after catching everything up to now.</summary>
    /// <summary>The whole state, caught up to now, as the simulation's canonical text (every lot and ledger entry included).</summary>
    public string Snapshot()
    {
        Engine.CatchUpAll(Now);
        return Snapshotter.Text(new Snapshotter().Take(Engine.State));
    }
}
