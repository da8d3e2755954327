using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §2: plans and policy numbers are data; another catalog (seed 001: no rollover) changes behaviour, not code.</summary>
public sealed class CatalogTests
{
    private static PlanCatalog SeedOne()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "catalogs", "seed-001-no-rollover.json")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return PlanCatalog.FromJson(File.ReadAllText(Path.Combine(dir.FullName, "catalogs", "seed-001-no-rollover.json")));
    }

    /// <summary>A minimal catalog with the given policy JSON, a basic plan and a "pro" plan of 10 credits (cap 30).</summary>
    private static PlanCatalog With(string policy) => PlanCatalog.FromJson($$"""
        {
          "plans": [
            { "id": "basic", "monthly": { "pricePerMonthCents": 0 }, "dailyInMailLimit": 10 },
            { "id": "pro", "paid": true, "monthly": { "pricePerMonthCents": 1000 }, "creditsPerCycle": 10, "cap": 30, "dailyInMailLimit": 20 }
          ],
          "policy": {{policy}}
        }
        """);

    [Theory]
    [InlineData("basic", false, false, 0L, null, 0, 0, 10)]
    [InlineData("premium-career", true, false, 2999L, null, 5, 15, 10)]
    [InlineData("premium-business", true, false, 5999L, 4799L, 15, 45, 20)]
    [InlineData("sales-navigator-core", true, false, 9999L, 7999L, 50, 150, 50)]
    [InlineData("sales-navigator-advanced", true, true, 14999L, 10833L, 50, 150, 50)]
    [InlineData("recruiter-lite", true, false, 17000L, null, 30, 120, 50)]
    [InlineData("recruiter-professional", true, false, 90000L, null, 100, 300, 100)]
    public void The_default_catalog_holds_the_plans_of_the_spec(string id, bool paid, bool team, long monthly, long? annual, int credits, int cap, int daily)
    {
        Assert.True(PlanCatalog.Default.TryGetPlan(id, out var plan));

        Assert.Equal((paid, team, credits, cap, daily), (plan.Paid, plan.Team, plan.CreditsPerCycle, plan.Cap, plan.DailyInMailLimit));
        Assert.Equal(monthly, plan.Monthly!.PricePerMonthCents);
        Assert.Equal(annual is null, plan.Annual is null);
        Assert.Equal(annual, plan.Annual?.PricePerMonthCents);
    }

    [Fact]
    public void Recruiter_Corporate_is_offered_both_ways_at_a_custom_price()
    {
        Assert.True(PlanCatalog.Default.TryGetPlan("recruiter-corporate", out var plan));

        Assert.Equal((150, 450, 150), (plan.CreditsPerCycle, plan.Cap, plan.DailyInMailLimit));
        Assert.True(plan.Offers(BillingPeriod.Monthly) && plan.Offers(BillingPeriod.Annual));
        Assert.Null(plan.Monthly!.PricePerMonthCents);
        Assert.Null(plan.Annual!.PricePerMonthCents);
    }

    [Fact]
    public void The_default_catalog_has_eight_plans_with_basic_as_the_free_plan()
    {
        Assert.Equal(8, PlanCatalog.Default.Plans.Count);
        Assert.Equal("basic", PlanCatalog.Default.FreePlan.Id);
        Assert.False(PlanCatalog.Default.TryGetPlan("gold", out _));
        Assert.False(PlanCatalog.Default.TryGetPlan(null, out _));
    }

    [Fact]
    public void The_default_policy_holds_the_numbers_of_the_spec()
    {
        var p = PlanCatalog.Default.Policy;

        Assert.Equal((90, false, 12, 1_000L), (p.AllowanceLifetimeDays, p.AllowanceExpiresAtNextCycle, p.PurchaseLifetimeMonths, p.CreditPriceCents));
        Assert.Equal([10, 25, 50, 100], p.PackSizes);
        Assert.Equal((90, 90), (p.RefundWindowDays, p.RefundLotLifetimeDays));
        Assert.Equal((4, 24, 20, 7, 15), (p.ThreadInMailLimit, p.DailyWindowHours, p.RecipientInMailLimit, p.RecipientWindowDays, p.GroupMessagesPerMonth));
        Assert.Equal((3, 10, 30, 7), (p.SpamMinReports, p.SpamMinSharePercent, p.SpamWindowDays, p.SpamSuspensionDays));
        Assert.Equal((100, 5, 21), (p.InvitesPerWeek, p.BasicNotesPerMonth, p.ReinviteWaitDays));
        Assert.Equal((200, 1_900, 8_000, 300, 200, 500), (p.SubjectMaxLength, p.InMailBodyMaxLength, p.MessageBodyMaxLength, p.PaidNoteMaxLength, p.BasicNoteMaxLength, p.InboxActiveConversations));
    }

    [Fact]
    public void Packs_cost_10_dollars_a_credit()
    {
        Assert.Equal(10_000L, PlanCatalog.Default.PackPriceCents(10));
        Assert.Equal(100_000L, PlanCatalog.Default.PackPriceCents(100));
        Assert.Null(PlanCatalog.Default.PackPriceCents(7));
        Assert.Equal("$250.00", Money.Format(PlanCatalog.Default.PackPriceCents(25)!.Value));
        // A saving can be negative: the sign is never lost below a dollar.
        Assert.Equal(["-$0.50", "-$1.50", "$0.00", "$0.05", "-$47.99"], new long[] { -50, -150, 0, 5, -4799 }.Select(Money.Format));
    }

    [Fact]
    public void On_the_seed_001_catalog_credits_reset_each_cycle()
    {
        var given = new Given(SeedOne()).Members("alice", "bob").Subscribe("alice", "premium", BillingPeriod.Annual);
        Assert.Equal([(LotSource.Allowance, 5, Utc(2026, 2, 5))], given.Lots("alice"));
        given.Sends("alice", "bob");
        given.Sends("alice", "bob");

        given.At(Utc(2026, 2, 5));

        Assert.Equal(5, given.Credits("alice"));
        Assert.Equal([(LotSource.Allowance, 5, Utc(2026, 3, 5))], given.Lots("alice"));
        var today = given.Ledger("alice").Where(e => e.At == Utc(2026, 2, 5)).Select(e => (e.Kind, e.Delta)).ToList();
        Assert.Equal([(LedgerKind.Expire, -3), (LedgerKind.Grant, 5)], today);
        given.At(Utc(2026, 6, 5));
        Assert.Equal(5, given.Credits("alice"));
    }

    [Fact]
    public void On_the_seed_001_catalog_a_Jan_31_lot_dies_on_Feb_28_when_the_next_cycle_starts()
    {
        var given = new Given(SeedOne()).At(Utc(2026, 1, 31)).Members("alice").Subscribe("alice", "recruiter", BillingPeriod.Annual);

        Assert.Equal([(LotSource.Allowance, 50, Utc(2026, 2, 28))], given.Lots("alice"));
        given.At(Utc(2026, 3, 31));
        Assert.Equal([(LotSource.Allowance, 50, Utc(2026, 4, 30))], given.Lots("alice"));
    }

    [Fact]
    public void On_the_seed_001_catalog_only_its_plans_and_billing_exist()
    {
        var given = new Given(SeedOne()).Members("alice");

        given.Refuses(RefusalCode.UnknownPlan, () => given.Engine.Subscribe(given.Now, "alice", "premium-business", BillingPeriod.Monthly));
        given.Refuses(RefusalCode.BillingNotOffered, () => given.Engine.Subscribe(given.Now, "alice", "premium", BillingPeriod.Monthly));
        Assert.Equal(6, given.Engine.Catalog.Plans.Count);
    }

    [Fact]
    public void Policy_numbers_from_the_catalog_change_the_rules()
    {
        var given = new Given(With("""{ "threadInMailLimit": 2, "groupMessagesPerMonth": 1, "refundWindowDays": 10, "allowanceLifetimeDays": 30 }"""))
            .Members("sam", "bob", "gus", "g2").Subscribe("sam", "pro").Join("devs", "sam", "gus", "g2");

        Assert.Equal([(LotSource.Allowance, 10, Utc(2026, 2, 4))], given.Lots("sam"));
        var first = given.Sends("sam", "bob");
        given.Sends("sam", "bob");
        given.Refuses(RefusalCode.ThreadLimitReached, () => given.InMail("sam", "bob"));
        Assert.Equal(SendPath.Group, Ok(given.Send("sam", "gus", null, "Hi")).Quote.Path);
        Assert.Equal(SendPath.InMail, Ok(given.Quote("sam", "g2")).Path);

        given.At(Start + Days(10) + Second);
        Assert.Equal(0, Ok(given.Respond("bob", first.Message.Id)).CreditsRefunded);
    }

    [Fact]
    public void Longer_windows_from_the_catalog_count_everything_inside_them()
    {
        var given = new Given(With("""{ "spamWindowDays": 60, "recipientWindowDays": 40, "recipientInMailLimit": 2 }"""))
            .Members("sam", "bob", "v1", "v2", "v3", "o1", "o2").Subscribe("sam", "pro").Subscribe("o1", "pro").Subscribe("o2", "pro");
        var sent = new[] { "v1", "v2", "v3" }.Select(v => given.Sends("sam", v)).ToList();
        given.Sends("o1", "bob");

        Ok(given.Engine.ReportSpam(given.Now, "v1", sent[0].Message.Id));
        given.At(Start + Days(35));
        Ok(given.Engine.ReportSpam(given.Now, "v2", sent[1].Message.Id));
        given.Sends("o2", "bob");
        given.At(Start + Days(36));
        Ok(given.Engine.ReportSpam(given.Now, "v3", sent[2].Message.Id));

        Assert.True(given.Member("sam").IsRestrictedAt(given.Now));
        given.Refuses(RefusalCode.SenderRestricted, () => given.InMail("sam", "bob"));
        given.Members("o3").Subscribe("o3", "pro");
        given.Refuses(RefusalCode.RecipientLimitReached, () => given.InMail("o3", "bob"));
    }

    [Fact]
    public void Pack_sizes_and_prices_come_from_the_catalog()
    {
        var given = new Given(With("""{ "packSizes": [5], "creditPriceCents": 250 }""")).Members("sam").Subscribe("sam", "pro");

        given.Refuses(RefusalCode.UnknownPack, () => given.Engine.Buy(given.Now, "sam", 10));
        Ok(given.Engine.Buy(given.Now, "sam", 5));

        Assert.Equal(1_250L, given.Engine.Catalog.PackPriceCents(5));
        Assert.Equal(15, given.Credits("sam"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("""{ "plans": [] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} }, { "id": "basic", "monthly": {} } ] }""")]
    [InlineData("""{ "plans": [ { "id": "pro", "paid": true, "monthly": {} } ] }""")]
    [InlineData("""{ "freePlan": "free", "plans": [ { "id": "basic", "monthly": {} } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "paid": true, "monthly": {} } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "team": true, "monthly": {} } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} }, { "id": "pro", "paid": true, "monthly": {}, "creditsPerCycle": -1 } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} }, { "id": "pro", "paid": true, "monthly": {}, "cap": -1 } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} }, { "id": "pro", "paid": true } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} }, { "id": "pro", "paid": true, "annual": { "pricePerMonthCents": -5 } } ] }""")]
    [InlineData("""{ "plans": [ { "id": "", "monthly": {} } ] }""")]
    [InlineData("""{ "plans": [ { "monthly": {} } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {}, "colour": "red" } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {}, "creditsPerCycle": "five" } ] }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} } ], "policy": { "rolloverForever": true } }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} } ], "policy": { "packSizes": [10, 0] } }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} } ], "policy": { "creditPriceCents": -1 } }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} } ], "policy": { "refundWindowDays": 0 } }""")]
    [InlineData("""{ "plans": [ { "id": "basic", "monthly": {} } ], "policy": { "dailyWindowHours": -24 } }""")]
    public void A_malformed_catalog_is_refused_with_a_catalog_exception(string json)
    {
        var error = Assert.Throws<CatalogException>(() => PlanCatalog.FromJson(json));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_minimal_catalog_loads_with_default_policy_and_basic_as_the_free_plan()
    {
        var catalog = PlanCatalog.FromJson("""
            // comments and trailing commas are allowed
            { "plans": [ { "id": "basic", "monthly": { "pricePerMonthCents": 0 }, }, ], }
            """);

        Assert.Equal("basic", catalog.FreePlan.Id);
        Assert.Equal("basic", catalog.FreePlan.Name);
        var defaults = new Policy();
        Assert.Equal(defaults, catalog.Policy with { PackSizes = defaults.PackSizes, SequenceDefaultDays = defaults.SequenceDefaultDays });
        Assert.Equal(defaults.PackSizes, catalog.Policy.PackSizes);
        Assert.Equal(defaults.SequenceDefaultDays, catalog.Policy.SequenceDefaultDays);
    }

    [Fact]
    public void The_invitation_window_comes_from_the_catalog()
    {
        var given = new Given(With("""{ "invitesPerWeek": 2, "inviteWindowDays": 3 }""")).Members("ivy", "a", "b", "c");
        Ok(given.Engine.Invite(given.Now, "ivy", "a", null));
        Ok(given.Engine.Invite(given.Now, "ivy", "b", null));

        given.Refuses(RefusalCode.WeeklyInviteLimit, () => given.Engine.Invite(given.Now, "ivy", "c", null));
        given.After(Days(3));
        Ok(given.Engine.Invite(given.Now, "ivy", "c", null));
    }
}
