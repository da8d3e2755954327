using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Web.Demo;

namespace InMail.Integration.Tests.Demo;

public sealed class DemoNetworkTests
{
    private static readonly DateTimeOffset Now = new(2025, 3, 14, 16, 30, 0, TimeSpan.Zero);

    private static readonly Lazy<(IReadOnlyList<DemoStep> Steps, InMailEngine Engine)> Fixed = new(() =>
    {
        var steps = DemoNetwork.Build(Now);
        var engine = Replay(steps);
        engine.CatchUpAll(Now);
        return (steps, engine);
    });

    /// <summary>Instants that move month ends, leap days, weekends and time of day around the history.</summary>
    public static TheoryData<DateTimeOffset> Nows() =>
    [
        Now,
        new DateTimeOffset(2024, 3, 1, 0, 0, 30, TimeSpan.Zero),
        new DateTimeOffset(2026, 1, 1, 9, 15, 0, TimeSpan.FromHours(2)),
        new DateTimeOffset(2025, 8, 31, 23, 59, 59, TimeSpan.Zero),
    ];

    /// <summary>Applies the steps in order to a fresh engine, failing on the first refusal with the step that caused it.</summary>
    private static InMailEngine Replay(IReadOnlyList<DemoStep> steps)
    {
        var engine = new InMailEngine(PlanCatalog.Default);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var outcome = step.Command.Apply(engine, step.At);
            Assert.True(outcome.IsSuccess, $"step {i} ({step.Command.Verb} at {step.At:O}) was refused: {outcome.Refusal}\n{CommandJson.Write(step.Command)}");
        }
        return engine;
    }

    [Theory]
    [MemberData(nameof(Nows))]
    public void Every_step_is_accepted_in_order_by_a_fresh_engine_and_lies_in_the_history(DateTimeOffset now)
    {
        var steps = DemoNetwork.Build(now);

        Replay(steps);
        Assert.NotEmpty(steps);
        for (var i = 0; i < steps.Count; i++)
        {
            Assert.True(steps[i].At >= now - TimeSpan.FromDays(60) && steps[i].At < now, $"step {i} ({steps[i].Command.Verb}) is at {steps[i].At:O}, outside [now - 60 days, now)");
            Assert.True(steps[i].At >= now - DemoNetwork.History && steps[i].At <= now - TimeSpan.FromMinutes(1), $"step {i} ({steps[i].Command.Verb}) is at {steps[i].At:O}, outside the 42 days before now");
            if (i > 0)
            {
                Assert.True(steps[i - 1].At <= steps[i].At, $"step {i} ({steps[i].Command.Verb}) at {steps[i].At:O} comes before step {i - 1} at {steps[i - 1].At:O}");
            }
        }
    }

    [Fact]
    public void Two_builds_for_the_same_instant_are_the_same_commands()
    {
        var first = DemoNetwork.Build(Now);
        var second = DemoNetwork.Build(Now);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].At, second[i].At);
            Assert.Equal(CommandJson.Write(first[i].Command), CommandJson.Write(second[i].Command));
        }
    }

    [Fact]
    public void Members_have_full_profiles_varied_time_zones_and_5_to_20_connections()
    {
        var engine = Fixed.Value.Engine;
        var members = engine.State.Members;

        Assert.True(members.Count >= 60, $"only {members.Count} members");
        Assert.NotNull(engine.State.FindMember(DemoNetwork.OperatorId));
        foreach (var m in members)
        {
            Assert.False(string.IsNullOrWhiteSpace(m.Profile.Name), $"{m.Id} has no name");
            Assert.False(string.IsNullOrWhiteSpace(m.Profile.Headline), $"{m.Id} has no headline");
            Assert.False(string.IsNullOrWhiteSpace(m.Profile.Company), $"{m.Id} has no company");
            Assert.False(string.IsNullOrWhiteSpace(m.Profile.TimeZone), $"{m.Id} has no time zone");
            Assert.Equal(m.Id, m.Id.ToLowerInvariant());
            Assert.InRange(m.Connections.Count, 5, 20);
        }
        Assert.True(members.Select(m => m.Profile.TimeZone).Distinct().Count() >= 8, "the time zones are not varied");
        Assert.True(members.Count(m => m.OpenProfile && engine.IsPaid(m)) >= 2, "fewer than two working Open Profiles");
        Assert.True(members.Count(m => !m.InMailEnabled) >= 2, "fewer than two members with InMail off");
    }

    [Fact]
    public void Every_plan_of_the_catalog_is_in_use()
    {
        var engine = Fixed.Value.Engine;
        var members = engine.State.Members;

        foreach (var plan in PlanCatalog.Default.Plans)
        {
            if (plan.Team)
            {
                var team = Assert.Single(engine.State.Teams, t => t.Plan.Id == plan.Id && t.IsActive);
                Assert.InRange(team.Seats.Count, 4, 6);
                Assert.Contains(team.Admin, team.Seats);
                Assert.NotNull(team.SeatCap);
            }
            else if (!plan.Paid)
            {
                Assert.True(members.Count(m => engine.PlanOf(m).Id == plan.Id) >= 20, $"few members stay on {plan.Id}");
            }
            else
            {
                var subscribers = members.Where(m => m.Subscription?.Plan.Id == plan.Id).ToList();
                Assert.True(subscribers.Count >= 2, $"{plan.Id} has {subscribers.Count} subscribers");
                foreach (var period in (BillingPeriod[])[BillingPeriod.Monthly, BillingPeriod.Annual])
                {
                    Assert.True(!plan.Offers(period) || subscribers.Any(m => m.Subscription!.Billing == period), $"nobody is on {plan.Id} billed {period}");
                }
            }
        }
    }

    [Fact]
    public void The_history_has_renewals_packs_bonuses_groups_and_pending_invitations()
    {
        var engine = Fixed.Value.Engine;
        var ledger = engine.State.Wallets.SelectMany(w => w.Ledger).ToList();

        Assert.Contains(engine.State.Wallets, w => w.Ledger.Count(e => e.Kind == LedgerKind.Grant) >= 2);
        Assert.Contains(ledger, e => e.Kind == LedgerKind.Purchase);
        Assert.Contains(ledger, e => e.Kind == LedgerKind.Bonus);
        Assert.True(engine.State.Groups.Count >= 5, $"only {engine.State.Groups.Count} groups");
        Assert.Contains(engine.State.Invitations, i => i.Note is not null);
    }

    [Fact]
    public void InMails_were_answered_and_refunded_and_some_still_await_a_response()
    {
        var engine = Fixed.Value.Engine;
        var messages = engine.State.Conversations.SelectMany(c => c.Messages).ToList();

        Assert.Contains(messages, m => m.IsInMail && m.RefundedAt is not null);
        Assert.Contains(messages, m => m.Path == SendPath.InMail && m.Charge is not null && m.RespondedAt is null);
        Assert.Contains(messages, m => m.Path == SendPath.OpenProfile);
        Assert.Contains(messages, m => m.Path == SendPath.Group);
        Assert.Contains(messages, m => m.Path == SendPath.Message && m.RespondsWith is null);
        Assert.Contains(messages, m => m.ReadAt is not null && m.RespondedAt is null);
        Assert.Contains(Fixed.Value.Steps, s => s.Command is Archive);
    }

    [Fact]
    public void The_sign_ins_name_members_that_show_what_they_promise()
    {
        var engine = Fixed.Value.Engine;
        var signIns = DemoNetwork.SignIns;

        foreach (var signIn in signIns)
        {
            var member = engine.State.FindMember(signIn.Member);
            Assert.NotNull(member);
            Assert.Equal(signIn.Name, member.Profile.Name);
            Assert.False(string.IsNullOrWhiteSpace(signIn.Password));
            Assert.False(string.IsNullOrWhiteSpace(signIn.Description));
        }
        var operatorSignIn = Assert.Single(signIns, s => s.Role == "operator");
        Assert.Equal(DemoNetwork.OperatorId, operatorSignIn.Member);

        var recruiter = Assert.Single(signIns, s => PlanOf(engine, s) == "recruiter-lite");
        var credits = engine.Credits(Now, recruiter.Member).Value;
        Assert.True(credits.Usable > 0, "the recruiter has no credits left");
        Assert.NotEmpty(credits.MayComeBack);
        Assert.Contains(signIns, s => PlanOf(engine, s) == "sales-navigator-core");
        Assert.Contains(signIns, s => PlanOf(engine, s) == "premium-career");
        Assert.Contains(signIns, s => s.Role == "member" && PlanOf(engine, s) == PlanCatalog.Default.FreePlan.Id);
        Assert.Contains(signIns, s => engine.State.Teams.Any(t => t.Admin == s.Member));
        Assert.Contains(engine.State.Invitations, i => i.To == "lucas.moreau");
    }

    private static string PlanOf(InMailEngine engine, DemoSignIn signIn) => engine.PlanOf(engine.State.FindMember(signIn.Member)!).Id;
}
