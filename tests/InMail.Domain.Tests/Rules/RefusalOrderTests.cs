using InMail.Domain.Messaging;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §4's order of checks for a send, and SPEC §7's codes: when several checks fail, the first is the refusal.</summary>
public sealed class RefusalOrderTests
{
    private static readonly string[] SpecCodes =
    [
        "invalid-input", "unknown-member", "unknown-plan", "unknown-message", "unknown-team", "billing-not-offered",
        "already-subscribed", "no-subscription", "self-message", "blocked", "subject-required", "subject-too-long",
        "body-required", "body-too-long", "note-too-long", "invalid-characters", "inmail-requires-paid-plan",
        "recipient-unavailable", "no-credits", "daily-limit-reached", "recipient-limit-reached", "thread-limit-reached",
        "sender-restricted", "already-connected", "invitation-pending", "invitation-not-found", "weekly-invite-limit",
        "purchase-not-allowed", "unknown-pack", "not-the-recipient", "not-an-inmail", "open-profile-requires-premium",
        "team-seat-conflict", "note-limit-reached", "reinvite-too-soon", "seat-cap-reached", "idempotency-conflict",
        // Added with §10 (templates, scheduled sends, sequences) and §11 (labels, attachments).
        "unknown-template", "invalid-template", "placeholder-unresolved", "unknown-schedule", "schedule-not-pending", "schedule-limit-reached",
        "unknown-sequence", "invalid-sequence", "already-enrolled", "not-enrolled", "label-limit-reached", "unknown-conversation",
        "attachment-rejected",
    ];

    [Fact]
    public void The_refusal_codes_are_exactly_those_of_the_spec_in_its_order()
    {
        Assert.Equal(SpecCodes, RefusalCodes.All);
    }

    [Fact]
    public void Every_wire_code_parses_back_to_its_refusal()
    {
        foreach (var code in Enum.GetValues<RefusalCode>())
        {
            Assert.True(RefusalCodes.TryParse(code.ToCode(), out var parsed));
            Assert.Equal(code, parsed);
        }
        Assert.False(RefusalCodes.TryParse("no-such-code", out _));
        Assert.False(RefusalCodes.TryParse(null, out _));
    }

    [Fact]
    public void A_refusal_reads_as_its_code_and_a_sentence()
    {
        var refusal = Refuse.With(RefusalCode.NoCredits, "You have none.");

        Assert.Equal("no-credits: You have none.", refusal.ToString());
        Assert.Throws<InvalidOperationException>(() => ((Outcome<int>)refusal).Value);
    }

    [Fact]
    public void An_unknown_member_goes_before_self_message()
    {
        var given = new Given();

        given.Refuses(RefusalCode.UnknownMember, () => given.InMail("ghost", "ghost"));
    }

    [Fact]
    public void Self_message_goes_before_content()
    {
        var given = new Given().Members("sam");

        given.Refuses(RefusalCode.SelfMessage, () => given.Send("sam", "sam", null, null));
    }

    [Fact]
    public void Blocked_goes_before_content_and_the_path()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        Given.Ok(given.Engine.Block(given.Now, "bob", "sam"));

        given.Refuses(RefusalCode.Blocked, () => given.Send("sam", "bob", null, "\u0001"));
    }

    [Fact]
    public void Content_goes_before_sender_restricted()
    {
        var given = Restricted();

        given.Refuses(RefusalCode.SubjectRequired, () => given.Send("spammer", "stan", " ", "Hi"));
        given.Refuses(RefusalCode.SenderRestricted, () => given.Send("spammer", "stan", "Hi", "Hi"));
    }

    [Fact]
    public void Sender_restricted_goes_before_inmail_requires_paid_plan()
    {
        var given = Restricted();
        Given.Ok(given.Engine.ChangePlan(given.Now, "spammer", "basic", Catalog.BillingPeriod.Monthly));

        given.Refuses(RefusalCode.SenderRestricted, () => given.InMail("spammer", "stan"));
    }

    [Fact]
    public void Inmail_requires_paid_plan_goes_before_recipient_unavailable()
    {
        var given = new Given().Members("bea", "nina");
        Given.Ok(given.Engine.ChangeSettings(given.Now, "nina", inmail: false));

        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.InMail("bea", "nina"));
    }

    [Fact]
    public void Recipient_unavailable_goes_before_thread_limit()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        for (var i = 0; i < 4; i++)
        {
            given.Sends("sam", "bob");
        }
        given.Refuses(RefusalCode.ThreadLimitReached, () => given.InMail("sam", "bob"));
        Given.Ok(given.Engine.ChangeSettings(given.Now, "bob", inmail: false));

        given.Refuses(RefusalCode.RecipientUnavailable, () => given.InMail("sam", "bob"));
    }

    [Fact]
    public void Recipient_unavailable_applies_to_open_profile_InMail_too()
    {
        var given = new Given().Members("sam", "olga").Subscribe("olga").OpenProfile("olga");
        Given.Ok(given.Engine.ChangeSettings(given.Now, "olga", inmail: false));

        given.Refuses(RefusalCode.RecipientUnavailable, () => given.InMail("sam", "olga"));
    }

    [Fact]
    public void Thread_limit_goes_before_daily_limit()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam", "premium-career").Buy("sam", 10);
        var strangers = given.Many("s", 2);
        for (var i = 0; i < 4; i++)
        {
            given.Sends("sam", "bob");
        }
        for (var i = 0; i < 6; i++)
        {
            given.Sends("sam", strangers[i / 3]);
        }

        given.Refuses(RefusalCode.ThreadLimitReached, () => given.InMail("sam", "bob"));
        given.Members("fresh");
        given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("sam", "fresh"));
    }

    [Fact]
    public void Daily_limit_goes_before_recipient_limit()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam", "premium-career").Buy("sam", 10);
        var others = given.Many("o", 20);
        foreach (var o in others)
        {
            given.Subscribe(o, "premium-career").Sends(o, "bob");
        }
        given.Refuses(RefusalCode.RecipientLimitReached, () => given.InMail("sam", "bob"));
        var strangers = given.Many("s", 3);
        for (var i = 0; i < 10; i++)
        {
            given.Sends("sam", strangers[i / 4]);
        }

        given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("sam", "bob"));
    }

    [Fact]
    public void Recipient_limit_goes_before_no_credits()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam", "premium-career");
        var strangers = given.Many("s", 2);
        for (var i = 0; i < 5; i++)
        {
            given.Sends("sam", strangers[i / 4]);
        }
        given.Refuses(RefusalCode.NoCredits, () => given.InMail("sam", "bob"));
        var others = given.Many("o", 20);
        foreach (var o in others)
        {
            given.Subscribe(o, "premium-career").Sends(o, "bob");
        }

        given.Refuses(RefusalCode.RecipientLimitReached, () => given.InMail("sam", "bob"));
    }

    [Fact]
    public void Seat_cap_goes_before_no_credits()
    {
        var given = new Given().Members("a1", "a2", "bob").Team("acme", ["a1", "a2"], seatCap: 0);

        given.Refuses(RefusalCode.SeatCapReached, () => given.InMail("a1", "bob"));
    }

    [Fact]
    public void An_open_profile_InMail_needs_no_credit()
    {
        var given = new Given().Members("sam", "olga", "stan", "carl").Subscribe("sam", "premium-career").Subscribe("olga").OpenProfile("olga");
        for (var i = 0; i < 4; i++)
        {
            given.Sends("sam", "stan");
        }
        given.Sends("sam", "carl");
        given.Refuses(RefusalCode.NoCredits, () => given.InMail("sam", "carl"));

        var sent = Given.Ok(given.InMail("sam", "olga"));

        Assert.Equal((SendPath.OpenProfile, 0), (sent.Quote.Path, sent.Quote.Cost));
    }

    [Fact]
    public void A_group_message_checks_only_sender_restricted_after_content()
    {
        var given = Restricted().Join("devs", "spammer", "gus");
        given.Refuses(RefusalCode.SenderRestricted, () => given.Send("spammer", "gus", null, "Hi"));

        var fresh = new Given().Members("bea", "gus").Join("devs", "bea", "gus");
        Given.Ok(fresh.Engine.ChangeSettings(fresh.Now, "gus", inmail: false));
        var sent = Given.Ok(fresh.Send("bea", "gus", null, "Hi")); // basic sender, InMail off: the group path needs neither
        Assert.Equal(SendPath.Group, sent.Quote.Path);
    }

    [Fact]
    public void Respond_checks_unknown_message_then_not_the_recipient_then_not_an_InMail()
    {
        var given = new Given().Members("sam", "bob", "cara").Subscribe("sam").Connect("sam", "cara");
        var inmail = given.Sends("sam", "bob");
        var message = Given.Ok(given.Send("sam", "cara", null, "Hi"));

        given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.Respond(given.Now, "ghost", "nope", ResponseKind.Accept, null));
        given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.Respond(given.Now, "ghost", inmail.Message.Id, ResponseKind.Accept, null)); // not theirs to see
        given.Refuses(RefusalCode.UnknownMessage, () => given.Engine.Respond(given.Now, "bob", message.Message.Id, ResponseKind.Accept, null));
        given.Refuses(RefusalCode.NotTheRecipient, () => given.Engine.Respond(given.Now, "sam", inmail.Message.Id, ResponseKind.Reply, "Me"));
        given.Refuses(RefusalCode.NotAnInMail, () => given.Engine.Respond(given.Now, "cara", message.Message.Id, ResponseKind.Decline, null));
        Assert.Equal(0, Given.Ok(given.Engine.Respond(given.Now, "cara", message.Message.Id, ResponseKind.Reply, "Hi back")).CreditsRefunded);
    }

    [Fact]
    public void A_refused_respond_refunds_nothing()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        var inmail = given.Sends("sam", "bob");

        given.Refuses(RefusalCode.BodyRequired, () => given.Respond("bob", inmail.Message.Id, ResponseKind.Reply, null));

        Assert.Equal(14, given.Credits("sam"));
        Assert.Null(inmail.Message.Response);
    }

    /// <summary>"spammer" (premium-business) suspended by three spam reports, with "stan" a stranger.</summary>
    internal static Given Restricted()
    {
        var given = new Given().Members("spammer", "stan", "gus").Subscribe("spammer");
        var victims = given.Many("v", 3);
        foreach (var v in victims)
        {
            var sent = given.Sends("spammer", v);
            Given.Ok(given.Engine.ReportSpam(given.Now, v, sent.Message.Id));
        }
        Assert.True(given.Member("spammer").IsRestrictedAt(given.Now));
        return given;
    }
}
