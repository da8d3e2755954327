using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §9: what a member's InMails achieved, and the sender's marks (decision 006).</summary>
public sealed class OutreachTests
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    private static OutreachReport Report(Given given, string member, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Ok(given.Engine.Outreach(given.Now, member, from, to));

    private static Outcome<Message> Mark(Given given, string member, string message, SenderMark? mark) =>
        given.Engine.MarkOutcome(member, message, mark);

    [Fact]
    public void Every_measure_over_four_paid_inmails_matches_the_hand_computed_numbers()
    {
        // alice: Premium Business monthly, $59.99 for 15 credits a cycle.
        var given = new Given().Members("alice", "bob", "carol", "dan", "erin").Subscribe("alice");
        foreach (var (to, id) in new[] { ("bob", "m1"), ("carol", "m2"), ("dan", "m3"), ("erin", "m4") })
        {
            given.Sends("alice", to, id);
        }
        given.After(Hour);
        Ok(given.Engine.MarkRead(given.Now, "dan", "alice"));            // dan opens, never answers
        given.After(Hour);
        Ok(given.Respond("bob", "m1"));                                  // bob replies after 2 h
        given.After(3 * Hour);
        Ok(given.Respond("carol", "m2", ResponseKind.Accept, null));     // carol accepts after 5 h
        Ok(Mark(given, "alice", "m1", SenderMark.MeetingBooked));

        var all = Report(given, "alice").All;

        Assert.Equal((4, 3, 2, 1, 2, 1), (all.Delivered, all.Opened, all.Responded, all.Accepted, all.Positive, all.MeetingsBooked));
        Assert.Equal((0.75, 0.5, 0.5, 0.25), (all.OpenRate, all.ReplyRate, all.PositiveRate, all.MeetingRate));
        // Two times, 2 h and 5 h: the median is their mean; nearest rank ⌈0.9 × 2⌉ = 2 is the larger.
        Assert.Equal(new ReplyTimes(2, TimeSpan.FromHours(3.5), TimeSpan.FromHours(5)), all.TimeToFirstReply);
        Assert.Equal((4, 2, 2), (all.CreditsSpent, all.CreditsRefunded, all.CreditsNet));
        // 2 net credits × 5999/15 cents ÷ 2 replies = 399.93… → 400 cents.
        Assert.Equal(400, all.CostPerReplyCents);
    }

    [Fact]
    public void Median_and_p90_over_an_odd_count_are_the_middle_time_and_the_nearest_rank()
    {
        var given = InMailsAnsweredAfter(1, 2, 3, 4, 10);

        var times = Report(given, "alice").All.TimeToFirstReply;

        // Five times: the median is the 3rd; p90 is rank ⌈0.9 × 5⌉ = 5.
        Assert.Equal(new ReplyTimes(5, TimeSpan.FromHours(3), TimeSpan.FromHours(10)), times);
    }

    [Fact]
    public void Median_and_p90_over_an_even_count_are_the_mean_of_the_middle_two_and_the_nearest_rank()
    {
        var given = InMailsAnsweredAfter(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

        var times = Report(given, "alice").All.TimeToFirstReply;

        // Ten times: the median is (5 h + 6 h) / 2; p90 is rank ⌈0.9 × 10⌉ = 9, not the largest.
        Assert.Equal(new ReplyTimes(10, TimeSpan.FromHours(5.5), TimeSpan.FromHours(9)), times);
    }

    [Fact]
    public void Nearest_rank_takes_the_ceiling_rank_and_the_median_of_nothing_is_null()
    {
        TimeSpan[] four = [Hour, 2 * Hour, 4 * Hour, 10 * Hour];

        Assert.Equal(3 * Hour, OutreachMeasures.Median(four));
        Assert.Equal(10 * Hour, OutreachMeasures.NearestRank(four, 90));   // ⌈3.6⌉ = 4
        Assert.Equal(2 * Hour, OutreachMeasures.NearestRank(four, 50));    // ⌈2.0⌉ = 2
        Assert.Null(OutreachMeasures.Median([]));
        Assert.Null(OutreachMeasures.NearestRank([], 90));
    }

    [Fact]
    public void A_response_after_90_days_counts_as_a_reply_but_refunds_nothing()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        given.Sends("alice", "bob", "m1");
        given.After(Days(90) + Second);
        Ok(given.Respond("bob", "m1"));

        var all = Report(given, "alice").All;

        Assert.Equal((1, 1.0), (all.Responded, all.ReplyRate));
        Assert.Equal((1, 0, 1), (all.CreditsSpent, all.CreditsRefunded, all.CreditsNet));
        Assert.Equal(Days(90) + Second, all.TimeToFirstReply.Median);
        Assert.Equal(400, all.CostPerReplyCents);   // 1 credit × 5999/15 ÷ 1 reply
    }

    [Fact]
    public void Open_profile_inmails_cost_nothing_and_are_reported_apart_from_paid_ones()
    {
        var given = new Given().Members("alice", "bob", "carol").Subscribe("alice").Subscribe("bob", "premium-career").OpenProfile("bob");
        Assert.Equal(SendPath.OpenProfile, given.Sends("alice", "bob", "op1").Quote.Path);
        Assert.Equal(SendPath.InMail, given.Sends("alice", "carol", "paid1").Quote.Path);
        given.After(Hour);
        Ok(given.Respond("bob", "op1"));

        var report = Report(given, "alice");

        Assert.Equal((1, 1, 0, 0, 0L), (report.OpenProfile.Delivered, report.OpenProfile.Responded, report.OpenProfile.CreditsSpent,
            report.OpenProfile.CreditsNet, report.OpenProfile.CostPerReplyCents));
        Assert.Equal((1, 0, 1, 1), (report.InMail.Delivered, report.InMail.Responded, report.InMail.CreditsSpent, report.InMail.CreditsNet));
        Assert.Null(report.InMail.CostPerReplyCents);   // no replies to paid InMails
        Assert.Equal((2, 1, 1), (report.All.Delivered, report.All.Responded, report.All.CreditsNet));
    }

    [Fact]
    public void With_nothing_delivered_every_rate_time_and_cost_is_null()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");

        var all = Report(given, "alice").All;

        Assert.Equal(0, all.Delivered);
        Assert.Equal([null, null, null, null], new[] { all.OpenRate, all.ReplyRate, all.PositiveRate, all.MeetingRate });
        Assert.Equal(new ReplyTimes(0, null, null), all.TimeToFirstReply);
        Assert.Null(all.CostPerReplyCents);
    }

    [Fact]
    public void Only_inmails_the_member_sent_count_not_messages_to_connections_nor_inmails_they_received()
    {
        var given = new Given().Members("alice", "bob", "carol").Subscribe("alice").Subscribe("carol").Connect("alice", "bob");
        Assert.Equal(SendPath.Message, Ok(given.Send("alice", "bob", null, "Hi, old friend.")).Quote.Path);
        given.Sends("carol", "alice", "to-alice");

        Assert.Equal(0, Report(given, "alice").All.Delivered);
        Assert.Equal(1, Report(given, "carol").All.Delivered);
    }

    [Fact]
    public void The_window_is_half_open_on_send_time_from_included_to_excluded()
    {
        var given = new Given().Members("alice", "bob", "carol", "dan").Subscribe("alice");
        var t0 = given.Now;
        given.Sends("alice", "bob");
        given.After(Hour).Sends("alice", "carol");
        given.After(Hour).Sends("alice", "dan");

        Assert.Equal(2, Report(given, "alice", from: t0 + Hour).All.Delivered);
        Assert.Equal(1, Report(given, "alice", from: t0 + Hour, to: t0 + (2 * Hour)).All.Delivered);
        Assert.Equal(2, Report(given, "alice", to: t0 + (2 * Hour)).All.Delivered);
    }

    [Fact]
    public void A_window_that_ends_before_it_starts_or_an_unknown_member_is_refused()
    {
        var given = new Given().Members("alice");

        Assert.Equal(RefusalCode.InvalidInput, given.Engine.Outreach(given.Now, "alice", given.Now, given.Now).Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.Outreach(given.Now, "alice", given.Now, given.Now - Second).Refusal!.Code);
        Assert.Equal(RefusalCode.UnknownMember, given.Engine.Outreach(given.Now, "nobody").Refusal!.Code);
    }

    [Fact]
    public void Bodies_under_400_characters_are_short_and_400_or_more_are_long()
    {
        var given = new Given().Members("alice", "bob", "carol", "dan").Subscribe("alice");
        Ok(given.Send("alice", "bob", "Hi", new string('a', 399)));
        // 400 user-perceived characters, each two code points: still 400, so long.
        Ok(given.Send("alice", "carol", "Hi", string.Concat(Enumerable.Repeat("e\u0301", 400))));
        Ok(given.Send("alice", "dan", "Hi", new string('a', 401)));
        given.After(Hour);
        Ok(given.Respond("bob", given.Engine.State.FindConversation("alice", "bob")!.Messages[0].Id));

        var report = Report(given, "alice");

        Assert.Equal((1, 1.0), (report.ShortBody.Delivered, report.ShortBody.ReplyRate));
        Assert.Equal((2, 0.0), (report.LongBody.Delivered, report.LongBody.ReplyRate));
    }

    [Theory]
    [InlineData("premium-business", BillingPeriod.Monthly, 5999, 15, 400)]
    [InlineData("premium-business", BillingPeriod.Annual, 4799, 15, 320)]
    [InlineData("premium-career", BillingPeriod.Monthly, 2999, 5, 600)]
    [InlineData("recruiter-corporate", BillingPeriod.Monthly, 1000, 1, 1000)]   // custom price: the pack price
    public void A_credit_costs_the_plans_monthly_price_over_its_credits_or_the_pack_price(string plan, BillingPeriod billing, long price, int credits, long perCredit)
    {
        var given = new Given().Members("alice").Subscribe("alice", plan, billing);

        var cost = given.Engine.CreditPriceOf(given.Member("alice"));

        Assert.Equal((price, credits, perCredit), (cost.PriceCents, cost.Credits, cost.PerCreditCents));
        Assert.Equal(price == 1000 ? "pack" : plan, cost.Basis);
    }

    [Fact]
    public void A_basic_member_pays_the_pack_price_and_a_team_seat_the_team_plans_price_per_seat_credit()
    {
        var given = new Given().Members("alice", "sam").Team("t1", ["sam"]);

        Assert.Equal(new CreditPrice(1000, 1, "pack"), given.Engine.CreditPriceOf(given.Member("alice")));
        Assert.Equal(new CreditPrice(14999, 50, "sales-navigator-advanced"), given.Engine.CreditPriceOf(given.Member("sam")));
    }

    [Fact]
    public void The_sender_marks_positive_or_meeting_booked_and_none_clears_the_mark()
    {
        var given = new Given().Members("alice", "bob", "carol").Subscribe("alice");
        given.Sends("alice", "bob", "m1");
        given.Sends("alice", "carol", "m2");

        Ok(Mark(given, "alice", "m1", SenderMark.Positive));
        Ok(Mark(given, "alice", "m2", SenderMark.MeetingBooked));
        var marked = Report(given, "alice").All;
        Ok(Mark(given, "alice", "m1", null));
        var cleared = Report(given, "alice").All;

        // A booked meeting is positive too; nobody answered, so marks are the only positives.
        Assert.Equal((2, 1, 1.0, 0.5), (marked.Positive, marked.MeetingsBooked, marked.PositiveRate, marked.MeetingRate));
        Assert.Equal((1, 1), (cleared.Positive, cleared.MeetingsBooked));
        Assert.Null(given.Engine.State.FindMessage("m1")!.Mark);
    }

    [Fact]
    public void Only_the_sender_may_mark_an_inmail_and_others_are_told_it_is_unknown()
    {
        var given = new Given().Members("alice", "bob", "carol").Subscribe("alice").Connect("alice", "carol");
        given.Sends("alice", "bob", "m1");
        Ok(given.Send("alice", "carol", null, "Lunch?", "chat"));

        given.Refuses(RefusalCode.UnknownMember, () => Mark(given, "nobody", "m1", SenderMark.Positive));
        given.Refuses(RefusalCode.UnknownMessage, () => Mark(given, "alice", "no-such", SenderMark.Positive));
        given.Refuses(RefusalCode.UnknownMessage, () => Mark(given, "bob", "m1", SenderMark.Positive));     // the recipient
        given.Refuses(RefusalCode.UnknownMessage, () => Mark(given, "carol", "m1", SenderMark.Positive));   // a stranger to it
        given.Refuses(RefusalCode.NotAnInMail, () => Mark(given, "alice", "chat", SenderMark.Positive));
    }

    [Fact]
    public void The_mark_command_reads_from_json_and_refuses_an_unknown_outcome()
    {
        var given = new Given().Members("alice", "bob").Subscribe("alice");
        given.Sends("alice", "bob", "m1");

        var command = CommandJson.Read("""{"do":"mark","member":"alice","message":"m1","outcome":"meeting-booked"}""");
        Assert.True(command.Apply(given.Engine, given.Now).IsSuccess);
        Assert.Equal(SenderMark.MeetingBooked, given.Engine.State.FindMessage("m1")!.Mark);

        given.Refuses(RefusalCode.InvalidInput, () => new MarkOutcome("alice", "m1", "great").Apply(given.Engine, given.Now));
        Assert.Equal(SenderMark.MeetingBooked, given.Engine.State.FindMessage("m1")!.Mark);
    }

    /// <summary>alice sends one paid InMail to each of n members at the start; member i answers after delays[i] hours.</summary>
    private static Given InMailsAnsweredAfter(params int[] hours)
    {
        var given = new Given().Members("alice").Subscribe("alice");
        var recipients = given.Many("r", hours.Length);
        var start = given.Now;
        var sent = recipients.Select(r => given.Sends("alice", r).Message.Id).ToList();
        foreach (var (h, i) in hours.Select((h, i) => (h, i)).OrderBy(p => p.h))
        {
            given.At(start + TimeSpan.FromHours(h));
            Ok(given.Respond(recipients[i], sent[i]));
        }
        return given;
    }
}
