using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §4 limits: 4 InMails per thread without a response, the plan's daily limit, 20 per recipient per 7 days.</summary>
public sealed class LimitsTests
{
    [Fact]
    public void A_fifth_InMail_in_a_thread_without_a_response_is_refused()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        for (var i = 0; i < 4; i++)
        {
            given.After(Days(1)).Sends("sam", "bob");
        }

        given.After(Days(30));
        given.Refuses(RefusalCode.ThreadLimitReached, () => given.InMail("sam", "bob"));
        Assert.Equal(15 - 4 + 15, given.Credits("sam")); // a month on, the Feb grant came; the thread is still full
    }

    [Fact]
    public void After_the_recipient_responds_the_thread_is_an_open_conversation()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        var first = given.Sends("sam", "bob");
        for (var i = 0; i < 3; i++)
        {
            given.Sends("sam", "bob");
        }
        Ok(given.Respond("bob", first.Message.Id, ResponseKind.Decline));

        var sent = Ok(given.Send("sam", "bob", null, "Understood, thanks."));

        Assert.Equal(SendPath.Message, sent.Quote.Path);
        Assert.Equal(0, given.Engine.State.FindConversation("sam", "bob")!.InMailsSinceOtherWrote("sam"));
    }

    [Fact]
    public void Open_profile_InMails_count_toward_the_thread_limit()
    {
        var given = new Given().Members("sam", "olga").Subscribe("olga").OpenProfile("olga");
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(SendPath.OpenProfile, Ok(given.InMail("sam", "olga")).Quote.Path);
        }

        given.Refuses(RefusalCode.ThreadLimitReached, () => given.InMail("sam", "olga"));
    }

    [Fact]
    public void The_daily_limit_frees_up_exactly_24_hours_after_the_oldest_send()
    {
        // Premium Business: 20 InMails in any 24 hours.
        var given = new Given().Members("sam").Subscribe("sam").Buy("sam", 25);
        var strangers = given.Many("s", 6);
        given.At(Utc(2026, 1, 5, 9, 0, 0));
        for (var i = 0; i < 20; i++)
        {
            given.Sends("sam", strangers[i / 4]);
            given.After(TimeSpan.FromMinutes(1));
        }

        given.At(Utc(2026, 1, 6, 9, 0, 0) - Second);
        var refusal = given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("sam", strangers[5]));
        Assert.Contains("2026-01-06T09:00:00Z", refusal.Message, StringComparison.Ordinal);

        given.At(Utc(2026, 1, 6, 9, 0, 0));
        given.Sends("sam", strangers[5]);
        var second = given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("sam", strangers[5]));
        given.At(Utc(2026, 1, 6, 9, 1, 0));
        given.Sends("sam", strangers[5]);

        // The sentence is written when first read, but says what was true when the send was refused.
        Assert.Equal("Premium Business allows 20 InMails in 24 hours; the next can go at 2026-01-06T09:01:00Z.", second.Message);
        Assert.Equal(new Refusal(RefusalCode.DailyLimitReached, second.Message), second);
        Assert.Equal(new Refusal(RefusalCode.DailyLimitReached, second.Message).GetHashCode(), second.GetHashCode());
        Assert.NotEqual(new Refusal(RefusalCode.DailyLimitReached, "another sentence"), second);
    }

    [Fact]
    public void Open_profile_InMails_count_toward_the_daily_limit_and_basic_allows_ten()
    {
        var given = new Given().Members("bea");
        var open = given.Many("op", 4);
        foreach (var o in open)
        {
            given.Subscribe(o, "premium-career").OpenProfile(o);
        }
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(SendPath.OpenProfile, Ok(given.InMail("bea", open[i / 3])).Quote.Path);
        }

        given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("bea", open[3]));
    }

    [Fact]
    public void Paid_and_open_profile_InMails_share_one_daily_limit()
    {
        var given = new Given().Members("sam", "olga").Subscribe("sam", "premium-career").Buy("sam", 10).Subscribe("olga").OpenProfile("olga");
        var strangers = given.Many("s", 2);
        for (var i = 0; i < 4; i++)
        {
            Ok(given.InMail("sam", "olga"));
        }
        for (var i = 0; i < 6; i++)
        {
            given.Sends("sam", strangers[i / 3]);
        }

        given.Members("fresh");
        given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("sam", "fresh"));
    }

    [Fact]
    public void Messages_and_group_messages_do_not_count_toward_the_daily_limit()
    {
        var given = new Given().Members("sam", "cara", "gus").Subscribe("sam", "premium-career").Buy("sam", 10).Connect("sam", "cara").Join("devs", "sam", "gus");
        for (var i = 0; i < 15; i++)
        {
            Ok(given.Send("sam", "cara", null, "Hi"));
            Ok(given.Send("sam", "gus", null, "Hi"));
        }
        var strangers = given.Many("s", 3);

        for (var i = 0; i < 10; i++)
        {
            given.Sends("sam", strangers[i / 4]);
        }
    }

    [Fact]
    public void A_recipient_gets_at_most_20_InMails_in_7_days_and_the_window_is_half_open()
    {
        var given = new Given().Members("bob", "late");
        var senders = given.Many("s", 21);
        given.Subscribe("late");
        given.At(Utc(2026, 1, 10, 8, 0, 0));
        foreach (var s in senders.Take(20))
        {
            given.Subscribe(s).Sends(s, "bob");
            given.After(TimeSpan.FromHours(1));
        }

        given.At(Utc(2026, 1, 17, 8, 0, 0) - Second);
        given.Subscribe(senders[20]);
        var refusal = given.Refuses(RefusalCode.RecipientLimitReached, () => given.InMail(senders[20], "bob"));
        Assert.Contains("20", refusal.Message, StringComparison.Ordinal);

        given.At(Utc(2026, 1, 17, 8, 0, 0));
        given.Sends(senders[20], "bob");
        given.Refuses(RefusalCode.RecipientLimitReached, () => given.InMail("late", "bob"));
    }

    [Fact]
    public void Open_profile_InMails_count_toward_the_recipient_limit()
    {
        var given = new Given().Members("olga", "sam").Subscribe("olga").OpenProfile("olga").Subscribe("sam");
        var senders = given.Many("s", 20);
        foreach (var s in senders)
        {
            Ok(given.InMail(s, "olga"));
        }

        given.Refuses(RefusalCode.RecipientLimitReached, () => given.InMail("sam", "olga"));
    }

    [Fact]
    public void The_daily_limit_follows_the_plan()
    {
        var given = new Given().Members("sam").Subscribe("sam", "recruiter-professional");
        var strangers = given.Many("s", 26);
        for (var i = 0; i < 100; i++)
        {
            given.Sends("sam", strangers[i / 4]);
        }

        given.Refuses(RefusalCode.DailyLimitReached, () => given.InMail("sam", strangers[25]));
        Assert.Equal(0, given.Credits("sam"));
    }
}
