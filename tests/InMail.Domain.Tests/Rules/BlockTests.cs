using InMail.Domain.Messaging;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §6 blocking: stops every path both ways and removes any connection and pending invitation.</summary>
public sealed class BlockTests
{
    [Theory]
    [InlineData("sam", "cara")] // a connection
    [InlineData("cara", "sam")]
    [InlineData("sam", "olga")] // Open Profile
    [InlineData("olga", "sam")]
    [InlineData("sam", "gus")]  // a fellow group member
    [InlineData("gus", "sam")]
    [InlineData("sam", "stan")] // a stranger
    [InlineData("stan", "sam")]
    public void A_block_stops_every_path_both_ways(string blocker, string blocked)
    {
        var given = new Given().Members("sam", "cara", "olga", "gus", "stan").Subscribe("sam").Connect("sam", "cara")
            .Subscribe("olga").OpenProfile("olga").Join("devs", "sam", "gus");
        var other = blocker == "sam" ? blocked : blocker;
        Given.Ok(given.Engine.Block(given.Now, blocker, blocked));

        given.Refuses(RefusalCode.Blocked, () => given.InMail("sam", other));
        given.Refuses(RefusalCode.Blocked, () => given.Send(other, "sam", null, "Hi"));
        given.Refuses(RefusalCode.Blocked, () => given.Quote("sam", other));
        Assert.Equal(15, given.Credits("sam"));
    }

    [Fact]
    public void A_block_removes_the_connection_and_it_does_not_come_back_on_unblock()
    {
        var given = new Given().Members("sam", "cara").Subscribe("sam").Connect("sam", "cara");

        Given.Ok(given.Engine.Block(given.Now, "cara", "sam"));

        Assert.False(given.Engine.State.AreConnected("sam", "cara"));
        Assert.False(given.Engine.State.AreConnected("cara", "sam"));
        Given.Ok(given.Engine.Unblock(given.Now, "cara", "sam"));
        Assert.Equal(SendPath.InMail, Given.Ok(given.Quote("sam", "cara")).Path);
    }

    [Fact]
    public void A_block_removes_pending_invitations_both_ways()
    {
        var given = new Given().Members("sam", "bob", "carl");
        Given.Ok(given.Engine.Invite(given.Now, "sam", "bob", null));
        Given.Ok(given.Engine.Invite(given.Now, "carl", "sam", null));

        Given.Ok(given.Engine.Block(given.Now, "sam", "bob"));
        Given.Ok(given.Engine.Block(given.Now, "sam", "carl"));

        Assert.Empty(given.Engine.State.Invitations);
        given.Refuses(RefusalCode.InvitationNotFound, () => given.Engine.AcceptInvitation(given.Now, "sam", "bob"));
    }

    [Fact]
    public void A_blocked_pair_cannot_connect_or_invite()
    {
        var given = new Given().Members("sam", "bob");
        Given.Ok(given.Engine.Block(given.Now, "bob", "sam"));

        given.Refuses(RefusalCode.Blocked, () => given.Engine.Connect(given.Now, "sam", "bob"));
        given.Refuses(RefusalCode.Blocked, () => given.Engine.Invite(given.Now, "sam", "bob", null));
        given.Refuses(RefusalCode.Blocked, () => given.Engine.Invite(given.Now, "bob", "sam", null));
    }

    [Fact]
    public void A_blocked_sender_gets_no_response_and_no_refund()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        var sent = given.Sends("sam", "bob");
        Given.Ok(given.Engine.Block(given.Now, "sam", "bob"));

        given.Refuses(RefusalCode.Blocked, () => given.Respond("bob", sent.Message.Id));
        Assert.Equal(14, given.Credits("sam"));
    }

    [Fact]
    public void Unblocking_restores_the_paths_for_both()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        Given.Ok(given.Engine.Block(given.Now, "bob", "sam"));
        Given.Ok(given.Engine.Unblock(given.Now, "bob", "sam"));

        given.Sends("sam", "bob");
    }

    [Fact]
    public void Only_the_blocker_can_lift_a_block()
    {
        var given = new Given().Members("sam", "bob").Subscribe("sam");
        Given.Ok(given.Engine.Block(given.Now, "bob", "sam"));

        Given.Ok(given.Engine.Unblock(given.Now, "sam", "bob"));

        given.Refuses(RefusalCode.Blocked, () => given.InMail("sam", "bob"));
    }

    [Fact]
    public void A_member_cannot_block_themselves_or_an_unknown_member()
    {
        var given = new Given().Members("sam");

        given.Refuses(RefusalCode.SelfMessage, () => given.Engine.Block(given.Now, "sam", "sam"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Block(given.Now, "sam", "ghost"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Unblock(given.Now, "ghost", "sam"));
    }
}
