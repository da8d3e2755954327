using InMail.Domain.Catalog;
using InMail.Domain.Content;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>
/// The plan-change preview says what subscribing, changing or cancelling will do, and then the command
/// does exactly that: each test previews, carries the action out, and compares with the ledger.
/// </summary>
public sealed class PlanPreviewTests
{
    private static int Sum(IEnumerable<LedgerEntry> entries, LedgerKind kind, DateTimeOffset at) =>
        entries.Where(e => e.Kind == kind && e.At == at).Sum(e => Math.Abs(e.Delta));

    [Fact]
    public void A_change_preview_names_the_forfeited_allowance_the_first_grant_and_the_kept_credits_as_the_change_then_does()
    {
        var given = new Given().Members("rita").Subscribe("rita", "premium-career").Buy("rita", 10).Bonus("rita", 3, 100);
        given.At(Utc(2026, 2, 20));

        var preview = Ok(given.Engine.PreviewPlanChange(given.Now, "rita", PlanAction.Change, "sales-navigator-core", BillingPeriod.Annual));
        Ok(given.Engine.ChangePlan(given.Now, "rita", "sales-navigator-core", BillingPeriod.Annual));

        Assert.Equal((PlanAction.Change, "premium-career", "sales-navigator-core"), (preview.Action, preview.From.Id, preview.To.Id));
        Assert.Equal(7_999, preview.PricePerMonthCents);
        Assert.Equal(given.Now, preview.TakesEffectAt);
        Assert.Equal(10, preview.AllowanceForfeited); // Jan 5 and Feb 5, five each
        Assert.Equal(Sum(given.Ledger("rita"), LedgerKind.Forfeit, given.Now), preview.AllowanceForfeited);
        Assert.Equal(50, preview.GrantedAtOnce);
        Assert.Equal(Sum(given.Ledger("rita"), LedgerKind.Grant, given.Now), preview.GrantedAtOnce);
        Assert.Equal(given.Now + Days(90), preview.GrantExpires);
        Assert.Equal(Utc(2026, 3, 20), preview.NextGrantAt);
        Assert.Equal(given.Member("rita").Subscription!.NextGrantAt, preview.NextGrantAt);
        Assert.Equal((13, false, false), (preview.OtherCredits, preview.OthersFrozen, preview.OthersThaw));
        Assert.Equal(50 + 13, given.Credits("rita"));
    }

    [Fact]
    public void A_subscribe_preview_from_the_free_plan_says_frozen_credits_thaw_and_grants_within_the_cap()
    {
        var given = new Given().Members("bea");
        Ok(given.Engine.GrantBonus(given.Now, "bea", 4, 30, "referral"));
        Assert.Equal(4, given.Frozen("bea"));

        var preview = Ok(given.Engine.PreviewPlanChange(given.Now, "bea", PlanAction.Subscribe, "premium-business", BillingPeriod.Monthly));
        Ok(given.Engine.Subscribe(given.Now, "bea", "premium-business", BillingPeriod.Monthly));

        Assert.Equal((PlanAction.Subscribe, "basic", 0), (preview.Action, preview.From.Id, preview.AllowanceForfeited));
        Assert.Equal((15, 4, true, false), (preview.GrantedAtOnce, preview.OtherCredits, preview.OthersThaw, preview.OthersFrozen));
        Assert.Equal(5_999, preview.PricePerMonthCents);
        Assert.Equal(preview.GrantedAtOnce + preview.OtherCredits, given.Credits("bea"));
    }

    [Fact]
    public void A_grant_preview_follows_a_no_rollover_catalog()
    {
        var catalog = PlanCatalog.FromJson(File.ReadAllText(Path.Combine(Replay.RepositoryPaths.Root, "catalogs", "seed-001-no-rollover.json")));
        var given = new Given(catalog).Members("ana");

        var preview = Ok(given.Engine.PreviewPlanChange(given.Now, "ana", PlanAction.Subscribe, "premium", BillingPeriod.Annual));
        Ok(given.Engine.Subscribe(given.Now, "ana", "premium", BillingPeriod.Annual));

        Assert.Equal(Utc(2026, 2, 5), preview.GrantExpires); // the lot dies when the next cycle starts, not after 90 days
        Assert.Equal(given.Lots("ana").Single(l => l.Source == LotSource.Allowance).Expires, preview.GrantExpires);
    }

    [Fact]
    public void A_downgrade_to_basic_preview_forfeits_grants_nothing_and_freezes_the_rest()
    {
        var given = new Given().Members("alice").Subscribe("alice").Buy("alice", 25);

        var preview = Ok(given.Engine.PreviewPlanChange(given.Now, "alice", PlanAction.Change, "basic", BillingPeriod.Monthly));
        Ok(given.Engine.ChangePlan(given.Now, "alice", "basic", BillingPeriod.Monthly));

        Assert.Equal((15, 0, (DateTimeOffset?)null, (DateTimeOffset?)null), (preview.AllowanceForfeited, preview.GrantedAtOnce, preview.GrantExpires, preview.NextGrantAt));
        Assert.Equal((25, true, (long?)null), (preview.OtherCredits, preview.OthersFrozen, preview.PricePerMonthCents));
        Assert.Equal((0, 25), (given.Credits("alice"), given.Frozen("alice")));
    }

    [Fact]
    public void A_cancel_preview_names_the_end_of_the_paid_period_and_grants_go_on_until_then()
    {
        var given = new Given().Members("alice").Subscribe("alice", "premium-business", BillingPeriod.Annual).Buy("alice", 10);
        given.At(Utc(2026, 3, 1));

        var preview = Ok(given.Engine.PreviewPlanChange(given.Now, "alice", PlanAction.Cancel, null, BillingPeriod.Monthly));
        var end = Ok(given.Engine.Cancel(given.Now, "alice"));

        Assert.Equal((PlanAction.Cancel, "premium-business", "basic"), (preview.Action, preview.From.Id, preview.To.Id));
        Assert.Equal(end, preview.TakesEffectAt);
        Assert.Equal(Utc(2027, 1, 5), preview.TakesEffectAt); // annual: twelve cycles from the anchor
        Assert.Equal(Utc(2026, 3, 5), preview.NextGrantAt);
        Assert.Equal((30, 10, true), (preview.AllowanceForfeited, preview.OtherCredits, preview.OthersFrozen));
    }

    [Fact]
    public void Changing_to_the_plan_being_cancelled_previews_as_a_resume_that_forfeits_nothing()
    {
        var given = new Given().Members("alice").Subscribe("alice");
        var end = Ok(given.Engine.Cancel(given.Now, "alice"));
        given.At(Utc(2026, 1, 20));

        var preview = Ok(given.Engine.PreviewPlanChange(given.Now, "alice", PlanAction.Change, "premium-business", BillingPeriod.Monthly));
        Ok(given.Engine.ChangePlan(given.Now, "alice", "premium-business", BillingPeriod.Monthly));

        Assert.Equal((PlanAction.Resume, 0, 0, (DateTimeOffset?)end), (preview.Action, preview.AllowanceForfeited, preview.GrantedAtOnce, preview.CancellationWithdrawn));
        Assert.Equal(Utc(2026, 2, 5), preview.NextGrantAt);
        Assert.DoesNotContain(given.Ledger("alice"), e => e.Kind == LedgerKind.Forfeit);
        Assert.Null(given.Member("alice").Subscription!.EndsAt);
    }

    [Theory]
    [InlineData("ghost", PlanAction.Change, "premium-career", BillingPeriod.Monthly, RefusalCode.UnknownMember)]
    [InlineData("alice", PlanAction.Change, "gold", BillingPeriod.Monthly, RefusalCode.UnknownPlan)]
    [InlineData("alice", PlanAction.Change, "premium-career", BillingPeriod.Annual, RefusalCode.BillingNotOffered)]
    [InlineData("alice", PlanAction.Change, "sales-navigator-advanced", BillingPeriod.Monthly, RefusalCode.TeamSeatConflict)]
    [InlineData("alice", PlanAction.Change, "premium-business", BillingPeriod.Monthly, RefusalCode.AlreadySubscribed)]
    [InlineData("alice", PlanAction.Subscribe, "premium-career", BillingPeriod.Monthly, RefusalCode.AlreadySubscribed)]
    [InlineData("bea", PlanAction.Change, "premium-career", BillingPeriod.Monthly, RefusalCode.NoSubscription)]
    [InlineData("bea", PlanAction.Cancel, null, BillingPeriod.Monthly, RefusalCode.NoSubscription)]
    [InlineData("bea", PlanAction.Subscribe, "basic", BillingPeriod.Monthly, RefusalCode.InvalidInput)]
    [InlineData("seat", PlanAction.Cancel, null, BillingPeriod.Monthly, RefusalCode.TeamSeatConflict)]
    [InlineData("seat", PlanAction.Subscribe, "premium-career", BillingPeriod.Monthly, RefusalCode.TeamSeatConflict)]
    public void A_preview_is_refused_with_the_code_the_action_would_get(string member, PlanAction action, string? plan, BillingPeriod billing, RefusalCode code)
    {
        var given = new Given().Members("alice", "bea", "seat").Subscribe("alice").Team("t1", ["seat"]);

        given.Refuses(code, () => given.Engine.PreviewPlanChange(given.Now, member, action, plan, billing));
        _ = action switch
        {
            PlanAction.Subscribe => given.Refuses(code, () => given.Engine.Subscribe(given.Now, member, plan!, billing)),
            PlanAction.Cancel => given.Refuses(code, () => given.Engine.Cancel(given.Now, member)),
            _ => given.Refuses(code, () => given.Engine.ChangePlan(given.Now, member, plan!, billing)),
        };
    }

    [Fact]
    public void A_preview_changes_nothing()
    {
        var given = new Given().Members("alice").Subscribe("alice").Buy("alice", 10);
        given.At(Utc(2026, 1, 10));
        var before = given.Snapshot();

        Ok(given.Engine.PreviewPlanChange(given.Now, "alice", PlanAction.Change, "recruiter-lite", BillingPeriod.Monthly));
        Ok(given.Engine.PreviewPlanChange(given.Now, "alice", PlanAction.Cancel, null, BillingPeriod.Monthly));
        Ok(given.Engine.PreviewPlanChange(given.Now, "alice", PlanAction.Change, "basic", BillingPeriod.Monthly));

        Assert.Equal(before, given.Snapshot());
    }
}

/// <summary>The content limits a form shows are the ones the checks apply (SPEC §5).</summary>
public sealed class ContentLimitsTests
{
    [Theory]
    [InlineData(SendPath.InMail, SubjectRule.Required, 200, 1_900)]
    [InlineData(SendPath.OpenProfile, SubjectRule.Required, 200, 1_900)]
    [InlineData(SendPath.Group, SubjectRule.Optional, 200, 1_900)]
    [InlineData(SendPath.Message, SubjectRule.None, 0, 8_000)]
    public void Each_path_has_the_limits_of_its_kind_of_text(SendPath path, SubjectRule subject, int subjectMax, int bodyMax)
    {
        var limits = new InMailEngine(PlanCatalog.Default).LimitsOf(path);

        Assert.Equal((subject, subjectMax, true, bodyMax), (limits.Subject, limits.SubjectMaxLength, limits.BodyRequired, limits.BodyMaxLength));
    }

    [Theory]
    [InlineData(SendPath.InMail)]
    [InlineData(SendPath.Group)]
    [InlineData(SendPath.Message)]
    public void A_body_at_the_limit_passes_and_one_character_more_is_refused(SendPath path)
    {
        var policy = PlanCatalog.Default.Policy;
        var limits = new InMailEngine(PlanCatalog.Default).LimitsOf(path);
        var kind = ContentLimits.KindOf(path);

        Assert.Null(TextRules.Check(kind, "Hello", new string('é', limits.BodyMaxLength), policy));
        Assert.Equal(RefusalCode.BodyTooLong, TextRules.Check(kind, "Hello", new string('é', limits.BodyMaxLength + 1), policy)?.Code);
        Assert.Equal(limits.Subject == SubjectRule.Required ? RefusalCode.SubjectRequired : null, TextRules.Check(kind, " ", "Hi", policy)?.Code);
    }

    [Fact]
    public void Note_limits_follow_the_plan_and_count_this_months_notes_on_the_free_plan()
    {
        var given = new Given().Members("bea", "paid", "x1", "x2").Subscribe("paid");
        Ok(given.Engine.Invite(given.Now, "bea", "x1", "Hello"));
        Ok(given.Engine.Invite(given.Now, "bea", "x2", null));

        var free = Ok(given.Engine.Notes(given.Now, "bea"));
        var paid = Ok(given.Engine.Notes(given.Now, "paid"));

        Assert.Equal((false, 200, (int?)5, 1), (free.Paid, free.Limits.BodyMaxLength, free.PerMonth, free.UsedThisMonth));
        Assert.Equal((true, 300, (int?)null), (paid.Paid, paid.Limits.BodyMaxLength, paid.PerMonth));
        Assert.Equal((SubjectRule.None, false), (free.Limits.Subject, free.Limits.BodyRequired));
        Assert.Equal(RefusalCode.NoteTooLong, given.Engine.Invite(given.Now, "bea", "paid", new string('a', free.Limits.BodyMaxLength + 1)).Refusal!.Code);
        Assert.Equal(RefusalCode.UnknownMember, given.Engine.Notes(given.Now, "ghost").Refusal!.Code);
    }
}
