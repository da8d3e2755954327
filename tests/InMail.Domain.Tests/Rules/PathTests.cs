using InMail.Domain.Messaging;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §4: the first path that applies — open conversation, Open Profile, group, paid InMail.</summary>
public sealed class PathTests
{
    /// <summary>Sam (on a paid plan) and one recipient per path.</summary>
    private static Given World()
    {
        var given = new Given().Members("sam", "cara", "olga", "gus", "stan").Subscribe("sam");
        given.Connect("sam", "cara").Subscribe("olga", "premium-career").OpenProfile("olga").Join("devs", "sam", "gus");
        return given;
    }

    [Fact]
    public void A_message_to_a_1st_degree_connection_is_free()
    {
        var given = World();

        var sent = Given.Ok(given.Send("sam", "cara", null, "Lunch Thursday?"));

        Assert.Equal((SendPath.Message, 0), (sent.Quote.Path, sent.Quote.Cost));
        Assert.Equal(15, given.Credits("sam"));
        Assert.Empty(given.Member("sam").InMailsSent.Instants);
    }

    [Fact]
    public void Once_the_recipient_has_written_the_conversation_is_open_and_free()
    {
        var given = World();
        var first = given.Sends("sam", "stan");
        Given.Ok(given.Respond("stan", first.Message.Id));

        var sent = Given.Ok(given.Send("sam", "stan", null, "Great, talk soon."));

        Assert.Equal((SendPath.Message, 0), (sent.Quote.Path, sent.Quote.Cost));
        Assert.Equal(15, given.Credits("sam")); // the first credit came back, the second was never taken
    }

    [Fact]
    public void Writing_first_does_not_open_the_conversation_for_the_writer()
    {
        var given = World();
        given.Sends("sam", "stan");

        Assert.Equal(SendPath.InMail, Given.Ok(given.Quote("sam", "stan")).Path);
    }

    [Fact]
    public void An_InMail_to_a_paid_member_with_Open_Profile_is_free_and_counts_as_an_InMail()
    {
        var given = World();

        var sent = Given.Ok(given.InMail("sam", "olga"));

        Assert.Equal((SendPath.OpenProfile, 0), (sent.Quote.Path, sent.Quote.Cost));
        Assert.True(sent.Message.IsInMail);
        Assert.Null(sent.Message.Charge);
        Assert.Equal(15, given.Credits("sam"));
        Assert.Single(given.Member("sam").InMailsSent.Instants);
        Assert.Single(given.Member("olga").InMailsReceived.Instants);
    }

    [Fact]
    public void A_basic_member_can_send_open_profile_InMail()
    {
        var given = World().Members("bea");

        var sent = Given.Ok(given.InMail("bea", "olga"));

        Assert.Equal(SendPath.OpenProfile, sent.Quote.Path);
    }

    [Fact]
    public void A_message_to_a_fellow_group_member_is_free_and_not_an_InMail()
    {
        var given = World();

        var sent = Given.Ok(given.Send("sam", "gus", null, "Saw your post in the group."));

        Assert.Equal((SendPath.Group, 0, 15), (sent.Quote.Path, sent.Quote.Cost, sent.Quote.GroupMessagesLeft)); // left before this one
        Assert.False(sent.Message.IsInMail);
        Assert.Empty(given.Member("sam").InMailsSent.Instants);
        Assert.Equal(15, given.Credits("sam"));
    }

    [Fact]
    public void Anyone_else_takes_a_paid_InMail_costing_one_credit()
    {
        var given = World();

        var quote = Given.Ok(given.Quote("sam", "stan"));

        Assert.Equal((SendPath.InMail, 1), (quote.Path, quote.Cost));
    }

    [Fact]
    public void A_connection_goes_before_Open_Profile_and_group()
    {
        var given = World().Connect("sam", "olga").Connect("sam", "gus");

        Assert.Equal(SendPath.Message, Given.Ok(given.Quote("sam", "olga")).Path);
        Assert.Equal(SendPath.Message, Given.Ok(given.Quote("sam", "gus")).Path);
    }

    [Fact]
    public void Open_Profile_goes_before_a_shared_group()
    {
        var given = World().Join("devs", "olga");

        Assert.Equal(SendPath.OpenProfile, Given.Ok(given.Quote("sam", "olga")).Path);
    }

    [Fact]
    public void A_recipient_who_refuses_group_messages_takes_a_paid_InMail()
    {
        var given = World();
        Given.Ok(given.Engine.ChangeSettings(given.Now, "gus", groupMessages: false));

        Assert.Equal((SendPath.InMail, 1), (Given.Ok(given.Quote("sam", "gus")).Path, Given.Ok(given.Quote("sam", "gus")).Cost));
    }

    [Fact]
    public void Open_Profile_off_means_the_paid_path()
    {
        var given = World();
        Given.Ok(given.Engine.ChangeSettings(given.Now, "olga", openProfile: false));

        Assert.Equal(SendPath.InMail, Given.Ok(given.Quote("sam", "olga")).Path);
    }

    [Fact]
    public void A_member_who_turned_InMail_off_still_gets_messages_from_connections()
    {
        var given = World();
        Given.Ok(given.Engine.ChangeSettings(given.Now, "cara", inmail: false));

        Assert.Equal(SendPath.Message, Given.Ok(given.Send("sam", "cara", null, "Still there?")).Quote.Path);
    }

    [Fact]
    public void A_subject_sent_with_a_message_in_an_open_conversation_is_ignored()
    {
        var given = World();

        var sent = Given.Ok(given.Send("sam", "cara", new string('x', 500), "Hi"));

        Assert.Null(sent.Message.Subject);
    }

    [Fact]
    public void A_quote_and_a_send_choose_the_same_path()
    {
        var given = World();

        foreach (var to in new[] { "cara", "olga", "gus", "stan" })
        {
            var quote = Given.Ok(given.Quote("sam", to));
            var sent = Given.Ok(given.InMail("sam", to));
            Assert.Equal((quote.Path, quote.Cost), (sent.Quote.Path, sent.Quote.Cost));
        }
    }

    [Fact]
    public void Sending_involves_two_known_members()
    {
        var given = World();

        given.Refuses(RefusalCode.UnknownMember, () => given.InMail("ghost", "stan"));
        given.Refuses(RefusalCode.UnknownMember, () => given.InMail("sam", "ghost"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Quote("sam", "ghost"));
    }

    [Fact]
    public void A_member_cannot_message_themselves()
    {
        var given = World();

        given.Refuses(RefusalCode.SelfMessage, () => given.InMail("sam", "sam"));
    }
}
