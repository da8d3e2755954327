using InMail.Domain.Messaging;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §6 inbox: at most 500 active conversations; past that the least recently active is archived; nothing is deleted.</summary>
public sealed class InboxTests
{
    /// <summary>"hub" connected to <paramref name="count"/> members who each write once, a minute apart.</summary>
    private static (Given Given, IReadOnlyList<string> Others) Hub(int count)
    {
        var given = new Given().Members("hub");
        var others = given.Many("c", count);
        foreach (var o in others)
        {
            given.Connect("hub", o);
        }
        foreach (var o in others)
        {
            Given.Ok(given.Send(o, "hub", null, "Hi"));
            given.After(TimeSpan.FromMinutes(1));
        }
        return (given, others);
    }

    private static int Active(Given given, string member) =>
        given.Engine.State.ConversationsOf(member).Count(c => !c.IsArchivedFor(member));

    private static bool Archived(Given given, string member, string other) =>
        given.Engine.State.FindConversation(member, other)!.IsArchivedFor(member);

    [Fact]
    public void Five_hundred_conversations_stay_active()
    {
        var (given, others) = Hub(500);

        Assert.Equal(500, Active(given, "hub"));
        Assert.DoesNotContain(others, o => Archived(given, "hub", o));
    }

    [Fact]
    public void The_501st_conversation_archives_the_least_recently_active_one_and_deletes_nothing()
    {
        var (given, others) = Hub(501);

        Assert.Equal(500, Active(given, "hub"));
        Assert.True(Archived(given, "hub", others[0]));
        Assert.False(Archived(given, others[0], "hub")); // only the hub's inbox is full
        Assert.False(Archived(given, "hub", others[1]));
        Assert.Single(given.Engine.State.FindConversation("hub", others[0])!.Messages);
        Assert.Equal(501, given.Engine.State.ConversationsOf("hub").Count);
    }

    [Fact]
    public void New_activity_brings_an_archived_conversation_back_and_archives_the_next_least_recent()
    {
        var (given, others) = Hub(501);

        Given.Ok(given.Send(others[0], "hub", null, "Still there?"));

        Assert.False(Archived(given, "hub", others[0]));
        Assert.True(Archived(given, "hub", others[1]));
        Assert.Equal(500, Active(given, "hub"));
    }

    [Fact]
    public void Activity_keeps_a_conversation_from_being_archived()
    {
        var (given, others) = Hub(500);
        Given.Ok(given.Send("hub", others[0], null, "Bumping this"));
        given.After(TimeSpan.FromMinutes(1));
        given.Members("late").Connect("hub", "late");

        Given.Ok(given.Send("late", "hub", null, "Hi"));

        Assert.False(Archived(given, "hub", others[0]));
        Assert.True(Archived(given, "hub", others[1]));
    }

    [Fact]
    public void A_member_can_archive_and_unarchive_a_conversation()
    {
        var given = new Given().Members("sam", "cara").Connect("sam", "cara");
        Given.Ok(given.Send("sam", "cara", null, "Hi"));

        Assert.True(Given.Ok(given.Engine.Archive(given.Now, "cara", "sam", archived: true)).IsArchivedFor("cara"));
        Assert.False(Archived(given, "sam", "cara"));
        Assert.False(Given.Ok(given.Engine.Archive(given.Now, "cara", "sam", archived: false)).IsArchivedFor("cara"));
        given.Members("dora");
        given.Refuses(RefusalCode.UnknownConversation, () => given.Engine.Archive(given.Now, "sam", "dora", archived: true)); // no conversation to archive
    }

    [Fact]
    public void Unarchiving_past_the_cap_archives_the_least_recently_active_other_conversation()
    {
        var (given, others) = Hub(500);
        Given.Ok(given.Engine.Archive(given.Now, "hub", others[499], archived: true));
        given.Members("late").Connect("hub", "late");
        Given.Ok(given.Send("late", "hub", null, "Hi"));
        Assert.Equal(500, Active(given, "hub"));

        Given.Ok(given.Engine.Archive(given.Now, "hub", others[499], archived: false));

        Assert.False(Archived(given, "hub", others[499]));
        Assert.True(Archived(given, "hub", others[0]));
        Assert.Equal(500, Active(given, "hub"));
    }

    [Fact]
    public void Reading_marks_the_messages_to_the_reader_as_read()
    {
        var given = new Given().Members("sam", "cara").Connect("sam", "cara");
        Given.Ok(given.Send("sam", "cara", null, "One"));
        Given.Ok(given.Send("sam", "cara", null, "Two"));
        Given.Ok(given.Send("cara", "sam", null, "Back"));
        var conversation = given.Engine.State.FindConversation("sam", "cara")!;
        Assert.Equal((2, 1), (conversation.UnreadFor("cara"), conversation.UnreadFor("sam")));

        Assert.Equal(2, Given.Ok(given.Engine.MarkRead(given.Now, "cara", "sam")));

        Assert.Equal((0, 1), (conversation.UnreadFor("cara"), conversation.UnreadFor("sam")));
        Assert.Equal(0, Given.Ok(given.Engine.MarkRead(given.Now, "cara", "sam")));
    }

    [Fact]
    public void Reading_a_conversation_that_does_not_exist_marks_nothing()
    {
        var given = new Given().Members("sam", "cara");

        Assert.Equal(0, Given.Ok(given.Engine.MarkRead(given.Now, "sam", "cara")));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.MarkRead(given.Now, "sam", "ghost"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Archive(given.Now, "ghost", "sam", archived: true));
    }

    [Fact]
    public void A_response_marks_the_InMail_read()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        var sent = given.Sends("sam", "bob");
        given.After(TimeSpan.FromHours(2));

        Given.Ok(given.Respond("bob", sent.Message.Id, ResponseKind.Decline, null));

        Assert.Equal(given.Now, sent.Message.ReadAt);
    }
}
