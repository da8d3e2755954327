using InMail.Domain.Advice;
using InMail.Domain.Catalog;

namespace InMail.Domain.Tests.Advice;

/// <summary>SPEC §12: the advisor replays a pattern under every plan; every expected number is worked out by hand here.</summary>
public sealed class PlanAdvisorTests
{
    private static readonly DateTimeOffset Year = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset YearEnd = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static PlanAdvice Advise(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<SentInMail> sends) =>
        new PlanAdvisor(PlanCatalog.Default).Advise(from, to, sends).Value;

    private static PlanOutcome Plan(PlanAdvice advice, string plan, BillingPeriod billing) =>
        advice.Plans.Single(p => p.Plan == plan && p.Billing == billing);

    [Fact]
    public void The_plans_compared_are_every_paid_plan_and_billing_with_credits_and_a_list_price()
    {
        var options = new PlanAdvisor(PlanCatalog.Default).Options().Select(o => $"{o.Plan.Id}/{o.Billing}");

        Assert.Equal(
            ["premium-career/Monthly", "premium-business/Monthly", "premium-business/Annual", "sales-navigator-core/Monthly", "sales-navigator-core/Annual",
             "sales-navigator-advanced/Monthly", "sales-navigator-advanced/Annual", "recruiter-lite/Monthly", "recruiter-professional/Monthly"],
            options);
    }

    /// <summary>
    /// Twelve InMails a month, one a day on the 1st–12th at 10:00, the first three answered 23 hours
    /// later: 9 credits a month net. Premium Career grants 5, so packs cover 4 a month: 48 over the
    /// year, five packs of 10 ($500) on top of 12 × $29.99 = $859.88, $23.89 a reply. Premium Business
    /// billed annually is 12 × $47.99 = $575.88 with no pack, $16.00 a reply, the cheapest; its 6
    /// spare credits a month pile up until, from June, each month's lot expires holding 6: Jun 30,
    /// Jul 30, Aug 30, Sep 29, Oct 30, Nov 30, Dec 30 — 42 credits.
    /// </summary>
    [Fact]
    public void Twelve_a_month_with_three_replies_costs_less_per_reply_on_Business_annual_than_Career_with_packs()
    {
        var advice = Advise(Year, YearEnd, Monthly(perDay: 1, days: 12, answered: 3));

        Assert.Equal((144, 36), (advice.InMails, advice.Responded));
        var career = Plan(advice, "premium-career", BillingPeriod.Monthly);
        Assert.Equal((35_988L, 5, 50_000L, 85_988L), (career.SubscriptionCents, career.PacksBought, career.PacksCents, career.PriceCents));
        Assert.Equal((144, 0, 36, 0, 2_389L), (career.Sent, career.Refused, career.Replies, career.CreditsExpired, career.CostPerReplyCents));

        var business = Plan(advice, "premium-business", BillingPeriod.Annual);
        Assert.Equal((57_588L, 0, 57_588L), (business.SubscriptionCents, business.PacksBought, business.PriceCents));
        Assert.Equal((144, 36, 42, 1_600L), (business.Sent, business.Replies, business.CreditsExpired, business.CostPerReplyCents));

        Assert.Equal(2_000L, Plan(advice, "premium-business", BillingPeriod.Monthly).CostPerReplyCents); // 71,988 ÷ 36
        Assert.Equal(2_666L, Plan(advice, "sales-navigator-core", BillingPeriod.Annual).CostPerReplyCents); // 95,988 ÷ 36
        Assert.Equal(30_000L, Plan(advice, "recruiter-professional", BillingPeriod.Monthly).CostPerReplyCents); // 1,080,000 ÷ 36
        var team = Plan(advice, "sales-navigator-advanced", BillingPeriod.Annual); // a team of one seat: 12 × $108.33, spent from the pool
        Assert.Equal((0, 129_996L, 36, 3_611L), (team.PacksBought, team.PriceCents, team.Replies, team.CostPerReplyCents));
        Assert.True(team.CreditsExpired > 0, "the pool's 50 a month, 9 used, expire: they count");
        Assert.Same(business, advice.Cheapest);
        Assert.Equal(
            "Premium Business, billed annually costs $575.88 for 36 replies: $16.00 a reply, against $20.00 on Premium Business, billed monthly, the next cheapest.",
            advice.Reason);
    }

    /// <summary>
    /// Sixty a month, three a day on the 1st–20th, the 09:00 one of the 1st–15th answered at noon:
    /// 45 credits a month net, 180 replies. Career buys 40 a month (48 packs), Business 30 (36 packs),
    /// Recruiter Lite 15 (18 packs); Sales Navigator Core's 50 a month cover it, and billed annually
    /// (12 × $79.99 = $959.88) it is $5.33 a reply. Its 5 spare credits a month are spent the next
    /// month, before their lot expires: nothing expires.
    /// </summary>
    [Fact]
    public void Sixty_a_month_is_cheapest_per_reply_on_Sales_Navigator_Core_annual()
    {
        var advice = Advise(Year, YearEnd, Monthly(perDay: 3, days: 20, answered: 15));

        Assert.Equal((720, 180), (advice.InMails, advice.Responded));
        Assert.Equal((48, 515_988L, 2_867L), Cost(advice, "premium-career", BillingPeriod.Monthly));
        Assert.Equal((36, 431_988L, 2_400L), Cost(advice, "premium-business", BillingPeriod.Monthly));
        Assert.Equal((36, 417_588L, 2_320L), Cost(advice, "premium-business", BillingPeriod.Annual));
        Assert.Equal((0, 119_988L, 667L), Cost(advice, "sales-navigator-core", BillingPeriod.Monthly));
        Assert.Equal((0, 95_988L, 533L), Cost(advice, "sales-navigator-core", BillingPeriod.Annual));
        Assert.Equal((0, 179_988L, 1_000L), Cost(advice, "sales-navigator-advanced", BillingPeriod.Monthly));
        Assert.Equal((0, 129_996L, 722L), Cost(advice, "sales-navigator-advanced", BillingPeriod.Annual));
        Assert.Equal((18, 384_000L, 2_133L), Cost(advice, "recruiter-lite", BillingPeriod.Monthly));
        Assert.Equal((0, 1_080_000L, 6_000L), Cost(advice, "recruiter-professional", BillingPeriod.Monthly));
        var core = Plan(advice, "sales-navigator-core", BillingPeriod.Annual);
        Assert.Equal((720, 180, 0), (core.Sent, core.Replies, core.CreditsExpired));
        Assert.All(advice.Plans, p => Assert.Equal((720, 0), (p.Sent, p.Refused)));
        Assert.Same(core, advice.Cheapest);
    }

    [Fact]
    public void An_empty_pattern_costs_the_subscription_and_names_no_plan()
    {
        var advice = Advise(Year, YearEnd, []);

        Assert.Equal(0, advice.InMails);
        Assert.All(advice.Plans, p => Assert.Equal((0, 0, 0, 0, (long?)null), (p.Sent, p.Refused, p.PacksBought, p.Replies, p.CostPerReplyCents)));
        Assert.Equal(35_988L, Plan(advice, "premium-career", BillingPeriod.Monthly).PriceCents);
        Assert.Null(advice.Cheapest);
        Assert.Equal("You sent no InMails in this period, so no plan has a cost per reply; the lowest price for it is Premium Career, billed monthly at $359.88.", advice.Reason);
    }

    /// <summary>
    /// Premium Career from 1 Jan for six months, one InMail on 1 Jan (from lot A1, granted 1 Jan,
    /// expiring 1 Apr). Unanswered lots: A1 expires holding 4; A2 (1 Feb→2 May), A3 (1 Mar→30 May)
    /// and A4 (1 Apr→30 Jun) expire holding 5; 1 May grants nothing (15 live, the cap): 19. A response
    /// on 31 Mar (89 days) puts the credit back in A1, so 20 expire; one on 2 Apr (91 days) is a
    /// reply that refunds nothing: 19.
    /// </summary>
    [Theory]
    [InlineData(89, 20)]
    [InlineData(91, 19)]
    public void A_response_after_90_days_is_a_reply_that_refunds_nothing(int days, int expired)
    {
        var sent = Utc(1, 1, 10);
        var advice = Advise(Year, Utc(7, 1, 0), [new SentInMail(sent, 1, false, sent + TimeSpan.FromDays(days))]);

        var career = Plan(advice, "premium-career", BillingPeriod.Monthly);
        Assert.Equal((1, 1, expired, 17_994L, 17_994L), (career.Sent, career.Replies, career.CreditsExpired, career.PriceCents, career.CostPerReplyCents));
    }

    /// <summary>Seven InMails in January on Premium Career: 5 allowance, then no credits, so a pack of 10 ($100) is bought; annual billing is charged in full at its start.</summary>
    [Fact]
    public void A_send_refused_for_no_credits_buys_the_smallest_pack_and_goes()
    {
        var sends = Enumerable.Range(1, 7).Select(d => new SentInMail(Utc(1, d, 10), d, false, null)).ToList();

        var advice = Advise(Year, Utc(2, 1, 0), sends);

        var career = Plan(advice, "premium-career", BillingPeriod.Monthly);
        Assert.Equal((7, 0, 1, 10_000L, 12_999L), (career.Sent, career.Refused, career.PacksBought, career.PacksCents, career.PriceCents));
        var business = Plan(advice, "premium-business", BillingPeriod.Annual);
        Assert.Equal((7, 0, 57_588L), (business.Sent, business.PacksBought, business.PriceCents));
        Assert.Null(advice.Cheapest);
        Assert.StartsWith("None of your InMails in this period got a response", advice.Reason, StringComparison.Ordinal);
    }

    /// <summary>Eleven InMails within one hour: Premium Career allows 10 in 24 hours (paid from the 15 credits granted 1 Jan, 1 Feb and 1 Mar); Premium Business allows 20.</summary>
    [Fact]
    public void Sends_past_a_plans_daily_limit_are_refused_by_code_and_their_responses_never_come()
    {
        var sends = Enumerable.Range(0, 11).Select(i => new SentInMail(Utc(3, 2, 9) + TimeSpan.FromMinutes(i), i, false, Utc(3, 3, 9))).ToList();

        var advice = Advise(Year, YearEnd, sends);

        var career = Plan(advice, "premium-career", BillingPeriod.Monthly);
        Assert.Equal((10, 1, 0, 10), (career.Sent, career.Refused, career.PacksBought, career.Replies));
        Assert.Equal(new Dictionary<string, int> { ["daily-limit-reached"] = 1 }, career.RefusedByCode);
        var business = Plan(advice, "premium-business", BillingPeriod.Monthly);
        Assert.Equal((11, 0, 0, 11), (business.Sent, business.Refused, business.PacksBought, business.Replies));
    }

    [Fact]
    public void Open_profile_InMails_stay_free_on_every_plan()
    {
        var sends = Enumerable.Range(1, 7).Select(d => new SentInMail(Utc(1, d, 10), d, true, null)).ToList();

        var advice = Advise(Year, Utc(2, 1, 0), sends);

        Assert.All(advice.Plans, p => Assert.Equal((7, 0), (p.Sent, p.PacksBought)));
        var career = Plan(advice, "premium-career", BillingPeriod.Monthly);
        Assert.Equal((0, 2_999L), (career.CreditsExpired, career.PriceCents)); // January's 5 credits live until 1 April
    }

    [Fact]
    public void Sends_outside_the_period_are_left_out_and_an_empty_period_is_invalid_input()
    {
        var advisor = new PlanAdvisor(PlanCatalog.Default);

        Assert.Equal(RefusalCode.InvalidInput, advisor.Advise(YearEnd, Year, []).Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidInput, advisor.Advise(Year, Year, []).Refusal!.Code);
        var advice = advisor.Advise(Utc(2, 1, 0), Utc(3, 1, 0), [new(Utc(1, 31, 23), 1, false, null), new(Utc(2, 1, 0), 2, false, null), new(Utc(3, 1, 0), 3, false, null)]).Value;
        Assert.Equal(1, advice.InMails);
    }

    private static (int Packs, long Price, long? PerReply) Cost(PlanAdvice advice, string plan, BillingPeriod billing)
    {
        var p = Plan(advice, plan, billing);
        return (p.PacksBought, p.PriceCents, p.CostPerReplyCents);
    }

    /// <summary>Every month of 2026: <paramref name="perDay"/> InMails an hour apart from 09:00 on each of the 1st…<paramref name="days"/>th, to a new recipient each; the first of the day on the 1st…<paramref name="answered"/>th is answered three hours later.</summary>
    private static List<SentInMail> Monthly(int perDay, int days, int answered)
    {
        var sends = new List<SentInMail>();
        for (var month = 1; month <= 12; month++)
        {
            for (var day = 1; day <= days; day++)
            {
                for (var k = 0; k < perDay; k++)
                {
                    var at = Utc(month, day, (perDay == 1 ? 10 : 9) + k);
                    DateTimeOffset? response = k == 0 && day <= answered ? (perDay == 1 ? at + TimeSpan.FromHours(23) : at + TimeSpan.FromHours(3)) : null;
                    sends.Add(new SentInMail(at, sends.Count, false, response));
                }
            }
        }
        return sends;
    }
}
