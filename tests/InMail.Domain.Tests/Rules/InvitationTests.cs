using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §6 connection requests: one pending per pair, notes, monthly note limit on basic, weekly limit, reinvite wait.</summary>
public sealed class InvitationTests
{
    private static string Note(int length) => new('n', length);

    [Fact]
    public void An_accepted_invitation_connects_both_ways_and_opens_the_conversation()
    {
        var given = new Given().Members("sam", "bob");

        var invitation = Ok(given.Engine.Invite(given.Now, "sam", "bob", "Met you at the meetup."));
        Ok(given.Engine.AcceptInvitation(given.Now, "sam", "bob"));

        Assert.Equal(("sam", "bob", "Met you at the meetup."), (invitation.From, invitation.To, invitation.Note));
        Assert.True(given.Engine.State.AreConnected("sam", "bob"));
        Assert.True(given.Engine.State.AreConnected("bob", "sam"));
        Assert.Empty(given.Engine.State.Invitations);
        Assert.Equal(SendPath.Message, Ok(given.Quote("bob", "sam", null, "Hi")).Path);
    }

    [Fact]
    public void An_ignored_invitation_is_gone_and_connects_nobody()
    {
        var given = new Given().Members("sam", "bob");
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));

        Ok(given.Engine.IgnoreInvitation(given.Now, "sam", "bob"));

        Assert.False(given.Engine.State.AreConnected("sam", "bob"));
        Assert.Empty(given.Engine.State.Invitations);
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null)); // no wait after an ignore
    }

    [Fact]
    public void After_withdrawing_the_same_member_can_be_invited_again_exactly_21_days_later()
    {
        var given = new Given().Members("sam", "bob");
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));
        given.At(Utc(2026, 1, 6, 12, 0, 0));
        Ok(given.Engine.WithdrawInvitation(given.Now, "sam", "bob"));

        given.At(Utc(2026, 1, 27, 12, 0, 0) - Second);
        var refusal = given.Refuses(RefusalCode.ReinviteTooSoon, () => given.Engine.Invite(given.Now, "sam", "bob", null));
        Assert.Contains("2026-01-27T12:00:00Z", refusal.Message, StringComparison.Ordinal);

        given.At(Utc(2026, 1, 27, 12, 0, 0));
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));
    }

    [Fact]
    public void The_reinvite_wait_binds_only_the_member_who_withdrew()
    {
        var given = new Given().Members("sam", "bob");
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));
        Ok(given.Engine.WithdrawInvitation(given.Now, "sam", "bob"));

        Ok(given.Engine.Invite(given.Now, "bob", "sam", null));
    }

    [Fact]
    public void One_pending_invitation_per_pair_in_either_direction()
    {
        var given = new Given().Members("sam", "bob");
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));

        given.Refuses(RefusalCode.InvitationPending, () => given.Engine.Invite(given.Now, "sam", "bob", null));
        given.Refuses(RefusalCode.InvitationPending, () => given.Engine.Invite(given.Now, "bob", "sam", "Hi"));
    }

    [Fact]
    public void Connected_members_cannot_invite_each_other()
    {
        var given = new Given().Members("sam", "bob").Connect("sam", "bob");

        given.Refuses(RefusalCode.AlreadyConnected, () => given.Engine.Invite(given.Now, "bob", "sam", null));
        given.Refuses(RefusalCode.AlreadyConnected, () => given.Engine.Connect(given.Now, "sam", "bob"));
    }

    [Fact]
    public void Invitations_need_two_known_different_unblocked_members()
    {
        var given = new Given().Members("sam", "bob", "carl");
        Ok(given.Engine.Block(given.Now, "carl", "sam"));

        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Invite(given.Now, "ghost", "ghost", null));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Invite(given.Now, "sam", "ghost", null));
        given.Refuses(RefusalCode.SelfMessage, () => given.Engine.Invite(given.Now, "sam", "sam", Note(500)));
        given.Refuses(RefusalCode.Blocked, () => given.Engine.Invite(given.Now, "sam", "carl", null));
        given.Refuses(RefusalCode.Blocked, () => given.Engine.Invite(given.Now, "carl", "sam", null));
        given.Refuses(RefusalCode.SelfMessage, () => given.Engine.Connect(given.Now, "sam", "sam"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.Connect(given.Now, "sam", "ghost"));
    }

    [Fact]
    public void A_note_holds_200_characters_on_basic_and_300_on_a_paid_plan()
    {
        var given = new Given().Members("bea", "pam").Subscribe("pam");
        var targets = given.Many("t", 4);

        Ok(given.Engine.Invite(given.Now, "bea", targets[0], Note(200)));
        given.Refuses(RefusalCode.NoteTooLong, () => given.Engine.Invite(given.Now, "bea", targets[1], Note(201)));
        Ok(given.Engine.Invite(given.Now, "pam", targets[2], Note(300)));
        given.Refuses(RefusalCode.NoteTooLong, () => given.Engine.Invite(given.Now, "pam", targets[3], Note(301)));
    }

    [Fact]
    public void A_note_is_counted_in_user_perceived_characters()
    {
        var given = new Given().Members("bea", "t1", "t2");
        var flags = string.Concat(Enumerable.Repeat("\U0001F1EB\U0001F1F7", 200));

        Ok(given.Engine.Invite(given.Now, "bea", "t1", flags));
        given.Refuses(RefusalCode.NoteTooLong, () => given.Engine.Invite(given.Now, "bea", "t2", flags + "!"));
    }

    [Fact]
    public void A_note_with_control_characters_is_refused_and_newlines_are_fine()
    {
        var given = new Given().Members("bea", "t1", "t2");

        given.Refuses(RefusalCode.InvalidCharacters, () => given.Engine.Invite(given.Now, "bea", "t1", "Hi\u0007"));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Engine.Invite(given.Now, "bea", "t1", "Hi\u0007" + Note(300))); // before the length
        Ok(given.Engine.Invite(given.Now, "bea", "t2", "Hi,\r\nwe met\tyesterday.\n"));
    }

    [Fact]
    public void A_basic_member_may_attach_a_note_to_5_requests_per_calendar_month()
    {
        var given = new Given().At(Utc(2026, 1, 31, 23, 0, 0)).Members("bea");
        var targets = given.Many("t", 9);
        for (var i = 0; i < 5; i++)
        {
            Ok(given.Engine.Invite(given.Now, "bea", targets[i], "Hello"));
        }

        given.Refuses(RefusalCode.NoteLimitReached, () => given.Engine.Invite(given.Now, "bea", targets[5], "Hello"));
        Ok(given.Engine.Invite(given.Now, "bea", targets[5], null));       // without a note it goes
        Ok(given.Engine.Invite(given.Now, "bea", targets[6], "   "));      // whitespace is no note
        Assert.Null(given.Engine.State.FindInvitation("bea", targets[6])!.Note);

        given.At(Utc(2026, 2, 1));
        Ok(given.Engine.Invite(given.Now, "bea", targets[7], "Hello"));
    }

    [Fact]
    public void Paid_members_have_no_monthly_note_limit()
    {
        var given = new Given().Members("pam").Subscribe("pam");
        var targets = given.Many("t", 8);

        foreach (var t in targets)
        {
            Ok(given.Engine.Invite(given.Now, "pam", t, "Hello"));
        }
    }

    [Fact]
    public void At_most_100_invitations_in_a_rolling_7_days()
    {
        var given = new Given().Members("sam");
        var targets = given.Many("t", 102);
        var first = given.Now;
        for (var i = 0; i < 100; i++)
        {
            Ok(given.Engine.Invite(given.Now, "sam", targets[i], null));
            given.After(TimeSpan.FromMinutes(1));
        }

        given.At(first + Days(7) - Second);
        var refusal = given.Refuses(RefusalCode.WeeklyInviteLimit, () => given.Engine.Invite(given.Now, "sam", targets[100], null));
        Assert.Contains("2026-01-12T00:00:00Z", refusal.Message, StringComparison.Ordinal);

        given.At(first + Days(7));
        Ok(given.Engine.Invite(given.Now, "sam", targets[100], null));
        given.Refuses(RefusalCode.WeeklyInviteLimit, () => given.Engine.Invite(given.Now, "sam", targets[101], null));
    }

    [Fact]
    public void Invitation_pending_goes_before_reinvite_too_soon()
    {
        var given = new Given().Members("sam", "bob");
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));
        Ok(given.Engine.WithdrawInvitation(given.Now, "sam", "bob"));
        Ok(given.Engine.Invite(given.Now, "bob", "sam", null));

        given.Refuses(RefusalCode.InvitationPending, () => given.Engine.Invite(given.Now, "sam", "bob", null));
    }

    [Fact]
    public void Reinvite_too_soon_goes_before_the_note_checks()
    {
        var given = new Given().Members("sam", "bob");
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));
        Ok(given.Engine.WithdrawInvitation(given.Now, "sam", "bob"));

        given.Refuses(RefusalCode.ReinviteTooSoon, () => given.Engine.Invite(given.Now, "sam", "bob", "\u0007" + Note(500)));
    }

    [Fact]
    public void Note_too_long_goes_before_note_limit_reached_which_goes_before_the_weekly_limit()
    {
        var given = new Given().Members("bea");
        var targets = given.Many("t", 101);
        for (var i = 0; i < 100; i++)
        {
            Ok(given.Engine.Invite(given.Now, "bea", targets[i], i < 5 ? "Hello" : null));
        }

        given.Refuses(RefusalCode.NoteTooLong, () => given.Engine.Invite(given.Now, "bea", targets[100], Note(201)));
        given.Refuses(RefusalCode.NoteLimitReached, () => given.Engine.Invite(given.Now, "bea", targets[100], "Hello"));
        given.Refuses(RefusalCode.WeeklyInviteLimit, () => given.Engine.Invite(given.Now, "bea", targets[100], null));
    }

    [Fact]
    public void Accepting_ignoring_or_withdrawing_needs_a_pending_invitation()
    {
        var given = new Given().Members("sam", "bob");
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));

        given.Refuses(RefusalCode.InvitationNotFound, () => given.Engine.AcceptInvitation(given.Now, "bob", "sam"));
        given.Refuses(RefusalCode.InvitationNotFound, () => given.Engine.IgnoreInvitation(given.Now, "bob", "sam"));
        given.Refuses(RefusalCode.InvitationNotFound, () => given.Engine.WithdrawInvitation(given.Now, "bob", "sam"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.AcceptInvitation(given.Now, "sam", "ghost"));
        Ok(given.Engine.WithdrawInvitation(given.Now, "sam", "bob"));
        given.Refuses(RefusalCode.InvitationNotFound, () => given.Engine.WithdrawInvitation(given.Now, "sam", "bob"));
        given.Refuses(RefusalCode.InvitationNotFound, () => given.Engine.AcceptInvitation(given.Now, "sam", "bob"));
    }

    [Fact]
    public void Connection_requests_reach_a_member_who_turned_InMail_off()
    {
        var given = new Given().Members("sam", "nina");
        Ok(given.Engine.ChangeSettings(given.Now, "nina", inmail: false));

        Ok(given.Engine.Invite(given.Now, "sam", "nina", "Hello"));
        Ok(given.Engine.AcceptInvitation(given.Now, "sam", "nina"));

        Assert.Equal(SendPath.Message, Ok(given.Send("sam", "nina", null, "Thanks!")).Quote.Path);
    }

    [Fact]
    public void A_disconnected_pair_can_invite_again()
    {
        var given = new Given().Members("sam", "bob").Connect("sam", "bob");

        Ok(given.Engine.Disconnect(given.Now, "bob", "sam"));

        Assert.False(given.Engine.State.AreConnected("sam", "bob"));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.Disconnect(given.Now, "bob", "sam"));
        Ok(given.Engine.Invite(given.Now, "sam", "bob", null));
    }
}
