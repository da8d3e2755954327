using InMail.Domain.Messaging;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §4 and §6 groups: free messages between fellow members, 15 per sender per calendar month.</summary>
public sealed class GroupTests
{
    /// <summary>Sam and five fellow members of "devs"; three messages to each of them make 15.</summary>
    private static Given Devs(string samPlan = "premium-business")
    {
        var given = new Given().At(Utc(2026, 1, 31, 20, 0, 0)).Members("sam", "g1", "g2", "g3", "g4", "g5", "g6");
        if (samPlan != "basic")
        {
            given.Subscribe("sam", samPlan);
        }
        return given.Join("devs", "sam", "g1", "g2", "g3", "g4", "g5", "g6");
    }

    private static void SendFifteen(Given given)
    {
        for (var i = 0; i < 15; i++)
        {
            var sent = Ok(given.Send("sam", $"g{(i / 3) + 1}", null, "Hi"));
            Assert.Equal((SendPath.Group, 0, 15 - i), (sent.Quote.Path, sent.Quote.Cost, sent.Quote.GroupMessagesLeft));
        }
    }

    [Fact]
    public void The_16th_group_message_of_a_calendar_month_goes_the_InMail_path()
    {
        var given = Devs();
        SendFifteen(given);

        var sixteenth = Ok(given.Send("sam", "g6", "Hello", "Hi"));

        Assert.Equal((SendPath.InMail, 1), (sixteenth.Quote.Path, sixteenth.Quote.Cost));
        Assert.Equal(14, given.Credits("sam"));
    }

    [Fact]
    public void The_InMail_path_for_the_16th_needs_its_own_content_rules()
    {
        var given = Devs();
        SendFifteen(given);

        given.Refuses(RefusalCode.SubjectRequired, () => given.Send("sam", "g6", null, "Hi"));
    }

    [Fact]
    public void A_basic_member_past_15_group_messages_needs_a_paid_plan()
    {
        var given = Devs("basic");
        SendFifteen(given);

        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.Send("sam", "g6", "Hello", "Hi"));
    }

    [Fact]
    public void The_group_allowance_starts_again_on_the_first_of_the_month_UTC()
    {
        var given = Devs("basic");
        SendFifteen(given);

        given.At(Utc(2026, 1, 31, 23, 59, 59));
        given.Refuses(RefusalCode.InMailRequiresPaidPlan, () => given.Send("sam", "g6", "Hello", "Hi"));
        given.At(Utc(2026, 2, 1));
        var sent = Ok(given.Send("sam", "g6", null, "Hi"));
        Assert.Equal((SendPath.Group, 15), (sent.Quote.Path, sent.Quote.GroupMessagesLeft));
        Assert.Equal(14, Ok(given.Quote("sam", "g6", null, "Hi")).GroupMessagesLeft);
    }

    [Fact]
    public void Without_a_shared_group_the_path_is_InMail()
    {
        var given = Devs();

        Ok(given.Engine.LeaveGroup(given.Now, "g1", "devs"));

        Assert.Equal(SendPath.InMail, Ok(given.Quote("sam", "g1")).Path);
        Assert.Equal(SendPath.Group, Ok(given.Quote("sam", "g2")).Path);
    }

    [Fact]
    public void Any_shared_group_will_do()
    {
        var given = Devs().Join("rust", "g1").Join("rust", "sam");
        Ok(given.Engine.LeaveGroup(given.Now, "g1", "devs"));

        Assert.Equal(SendPath.Group, Ok(given.Quote("sam", "g1")).Path);
    }

    [Fact]
    public void A_group_message_is_not_an_InMail_so_it_cannot_be_accepted_or_declined_but_can_be_replied_to()
    {
        var given = Devs();
        var sent = Ok(given.Send("sam", "g1", null, "Hi"));

        given.Refuses(RefusalCode.NotAnInMail, () => given.Respond("g1", sent.Message.Id, ResponseKind.Accept, null));
        given.Refuses(RefusalCode.NotAnInMail, () => given.Respond("g1", sent.Message.Id, ResponseKind.Decline, null));
        var reply = Ok(given.Respond("g1", sent.Message.Id, ResponseKind.Reply, "Hi back"));

        Assert.Equal(0, reply.CreditsRefunded);
        Assert.Equal(SendPath.Message, Ok(given.Quote("sam", "g1", null, "Hi")).Path); // g1 has written: an open conversation
    }

    [Fact]
    public void Group_messages_do_not_count_toward_the_thread_limit()
    {
        var given = Devs();
        for (var i = 0; i < 6; i++)
        {
            Ok(given.Send("sam", "g1", null, "Hi"));
        }

        Assert.Equal(0, given.Engine.State.FindConversation("sam", "g1")!.InMailsSinceOtherWrote("sam"));
    }

    [Fact]
    public void Joining_and_leaving_groups_checks_members_and_groups()
    {
        var given = Devs();

        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.JoinGroup(given.Now, "sam", "nope"));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.JoinGroup(given.Now, "ghost", "devs"));
        Ok(given.Engine.LeaveGroup(given.Now, "sam", "devs"));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.LeaveGroup(given.Now, "sam", "devs"));
        Assert.DoesNotContain("sam", given.Engine.State.FindGroup("devs")!.Members);
    }

    [Fact]
    public void Creating_a_group_needs_a_valid_id_and_name()
    {
        var given = Devs();

        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.CreateGroup("devs", "Again"));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.CreateGroup("bad id", "Name"));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.CreateGroup("ok", "  "));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.CreateGroup("ok", "bad\u0001name"));
        Assert.Equal("Rustaceans", Ok(given.Engine.CreateGroup("rust", "Rustaceans")).Name);
    }
}
