using InMail.Domain.Messaging;
using InMail.Domain.Network;
using static InMail.Domain.Tests.Rules.Given;

namespace InMail.Domain.Tests.Rules;

/// <summary>SPEC §2 and §6 members: everyone starts on basic; settings; instants in any offset are the same UTC instant.</summary>
public sealed class MemberTests
{
    [Fact]
    public void A_new_member_is_on_basic_with_InMail_and_group_messages_on()
    {
        var given = new Given();

        var member = Ok(given.Engine.AddMember(given.Now, "ana", new Profile("Ana", "Engineer", "Acme", "Europe/Paris")));

        Assert.Equal(("basic", true, true, false), (given.Engine.PlanOf(member).Id, member.InMailEnabled, member.GroupMessagesEnabled, member.OpenProfile));
        Assert.Equal(given.Now, member.JoinedAt);
    }

    [Fact]
    public void A_member_can_start_with_InMail_or_group_messages_off()
    {
        var given = new Given();

        var member = Ok(given.Engine.AddMember(given.Now, "nina", new Profile("Nina"), inmail: false, groupMessages: false));

        Assert.Equal((false, false), (member.InMailEnabled, member.GroupMessagesEnabled));
    }

    [Fact]
    public void A_member_id_that_differs_from_another_only_by_case_is_refused()
    {
        var given = new Given().Members("maya.chen");

        var refusal = given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "Maya.Chen", new Profile("Maya Chen")));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "MAYA.CHEN", new Profile("Maya Chen")));

        Assert.Contains("maya.chen", refusal.Message, StringComparison.Ordinal);
        Assert.Null(given.Engine.State.FindMember("Maya.Chen"));
        Assert.Equal("maya.chen", given.Engine.State.FindMemberIgnoringCase("Maya.CHEN")!.Id);
        Ok(given.Engine.AddMember(given.Now, "maya.chen2", new Profile("Another Maya")));
    }

    [Fact]
    public void Member_ids_and_profiles_are_checked()
    {
        var given = new Given().Members("ana");

        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "ana", new Profile("Ana again")));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "", new Profile("Nobody")));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "has space", new Profile("Space")));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, new string('a', 65), new Profile("Long")));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "bo", new Profile("  ")));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "bo", new Profile(new string('n', 101))));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.AddMember(given.Now, "bo", new Profile("Bo", TimeZone: "not a zone")));
        given.Refuses(RefusalCode.InvalidCharacters, () => given.Engine.AddMember(given.Now, "bo", new Profile("Bo\u0007")));
        Ok(given.Engine.AddMember(given.Now, new string('a', 64), new Profile("Sixty-four")));
    }

    [Fact]
    public void A_profile_can_be_replaced()
    {
        var given = new Given().Members("ana");

        Ok(given.Engine.UpdateProfile("ana", new Profile("Ana B.", Headline: "CTO")));

        Assert.Equal(("Ana B.", "CTO"), (given.Member("ana").Profile.Name, given.Member("ana").Profile.Headline));
        given.Refuses(RefusalCode.UnknownMember, () => given.Engine.UpdateProfile("ghost", new Profile("Ghost")));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.UpdateProfile("ana", new Profile("")));
    }

    [Fact]
    public void Settings_change_independently()
    {
        var given = new Given().Members("ana");

        Ok(given.Engine.ChangeSettings(given.Now, "ana", inmail: false));
        Ok(given.Engine.ChangeSettings(given.Now, "ana", groupMessages: false));
        Ok(given.Engine.ChangeSettings(given.Now, "ana", inmail: true));

        Assert.Equal((true, false), (given.Member("ana").InMailEnabled, given.Member("ana").GroupMessagesEnabled));
    }

    [Fact]
    public void A_refused_open_profile_setting_leaves_the_other_settings_in_the_same_call_unchanged()
    {
        var given = new Given().Members("ana");

        given.Refuses(RefusalCode.OpenProfileRequiresPremium, () => given.Engine.ChangeSettings(given.Now, "ana", openProfile: true, inmail: false));

        Assert.True(given.Member("ana").InMailEnabled);
    }

    [Fact]
    public void An_instant_given_with_an_offset_is_the_same_UTC_instant()
    {
        // Feb 1 01:00 at +02:00 is Jan 31 23:00 UTC: the cycle renews on Feb 28 23:00 UTC.
        var given = new Given().Members("ana");
        var local = new DateTimeOffset(2026, 2, 1, 1, 0, 0, TimeSpan.FromHours(2));

        var sub = Ok(given.Engine.Subscribe(local, "ana", "premium-business", Catalog.BillingPeriod.Monthly));

        Assert.Equal(Utc(2026, 2, 28, 23, 0, 0), sub.CycleStart(1));
        Assert.Equal(Utc(2026, 5, 1, 23, 0, 0), given.At(Utc(2026, 2, 1)).Lots("ana")[0].Expires);
    }

    [Fact]
    public void The_group_month_is_the_UTC_month_whatever_the_offset_of_the_instant()
    {
        var given = new Given().At(Utc(2026, 1, 31, 22, 0, 0)).Members("sam", "g1", "g2", "g3", "g4", "g5", "g6").Subscribe("sam").Join("devs", "sam", "g1", "g2", "g3", "g4", "g5", "g6");
        for (var i = 0; i < 15; i++)
        {
            Ok(given.Send("sam", $"g{(i / 3) + 1}", null, "Hi"));
        }

        // 00:30 on Feb 1 at +01:00 is still January in UTC: the January allowance is used up.
        var stillJanuary = new DateTimeOffset(2026, 2, 1, 0, 30, 0, TimeSpan.FromHours(1));
        Assert.Equal(SendPath.InMail, Ok(given.Engine.Quote(stillJanuary, new SendRequest("sam", "g6", "Hello", "Hi"))).Path);
        var february = new DateTimeOffset(2026, 1, 31, 19, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal(SendPath.Group, Ok(given.Engine.Quote(february, new SendRequest("sam", "g6", null, "Hi"))).Path);
    }
}
