using InMail.Domain.Catalog;
using InMail.Domain.Messaging;
using InMail.Domain.Tests.Rules;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Outreach;

/// <summary>SPEC §11 notifications: stamped when their cause fell due, each once, only while their cause still holds, and kept with the member.</summary>
public sealed class NotificationTests
{
    private static IReadOnlyList<(string Kind, DateTimeOffset At)> Of(Given given, string member, DateTimeOffset at) =>
        Given.Ok(given.Engine.Notifications(at, member)).Select(n => (n.Kind, n.At)).ToList();

    [Fact]
    public void A_lot_emptied_before_its_warning_and_an_InMail_answered_before_its_get_none()
    {
        // Premium Career: 5 credits on 5 January, expiring 5 April (warning 29 March).
        var given = new Given().Members("rita", "sam", "pat").Subscribe("rita", "premium-career");
        var lot = given.Member("rita").Wallet.LiveLots.Single();
        Assert.Equal(Given.Utc(2026, 4, 5), lot.Expires);
        var answered = given.Sends("rita", "sam").Message;
        given.Sends("rita", "pat");
        given.At(given.Now.AddDays(10));
        Given.Ok(given.Respond("sam", answered.Id));
        // Later months' lots are spent too, so nothing holds credits when each warning falls due.
        for (var month = 0; month < 3; month++)
        {
            while (given.Credits("rita") > 0)
            {
                var other = $"x{month}-{given.Credits("rita")}";
                Given.Ok(given.Engine.AddMember(given.Now, other, new Network.Profile(other)));
                given.Sends("rita", other);
            }
            given.At(Given.Utc(2026, 2 + month, 5, 1));
        }
        var seen = Of(given, "rita", Given.Utc(2026, 4, 30));
        Assert.DoesNotContain(seen, n => n.Kind == NotificationKinds.CreditsExpiring);
        // Pat never answered: her InMail's window closes 5 April 00:00, announced 29 March 00:00; Sam's answer leaves his unannounced.
        Assert.Contains((NotificationKinds.RefundWindowClosing, Given.Utc(2026, 3, 29)), seen);
        Assert.Single(seen, n => n.Kind == NotificationKinds.RefundWindowClosing && n.At == Given.Utc(2026, 3, 29));
        Assert.Equal(4, seen.Count(n => n.Kind == NotificationKinds.CreditsGranted));
    }

    [Fact]
    public void Notifications_are_the_same_whenever_someone_looks_and_come_back_with_the_member()
    {
        var given = new Given().Members("rita").Subscribe("rita");
        var early = Of(given, "rita", Given.Utc(2026, 3, 1));
        var late = Of(given, "rita", Given.Utc(2026, 6, 1));
        Assert.Equal(early, late.Where(n => n.At <= Given.Utc(2026, 3, 1)).ToList());
        // 5 May grants nothing (the cap of 45 is full with February to April), so there is nothing to announce.
        Assert.Equal([Given.Utc(2026, 1, 5), Given.Utc(2026, 2, 5), Given.Utc(2026, 3, 5), Given.Utc(2026, 4, 5)],
            late.Where(n => n.Kind == NotificationKinds.CreditsGranted).Select(n => n.At).ToArray());
        // 5 January's 15 credits expire 5 April: announced 29 March, once.
        Assert.Single(late, n => n.Kind == NotificationKinds.CreditsExpiring && n.At == Given.Utc(2026, 3, 29));
        Assert.Equal(1, Given.Ok(given.Engine.ReadNotifications(Given.Utc(2026, 6, 1), "rita", 1)));
        var source = new MemoryStateSource();
        source.Save(given.Engine.State);
        var reloaded = new InMailEngine(PlanCatalog.Default);
        reloaded.State.Attach(source, PlanCatalog.Default);
        var back = Given.Ok(reloaded.Notifications(Given.Utc(2026, 6, 1), "rita"));
        Assert.Equal(late, back.Select(n => (n.Kind, n.At)).ToList());
        Assert.Equal([1L], back.Where(n => n.ReadAt is not null).Select(n => n.Id).ToArray());
    }

    [Fact]
    public void A_member_keeps_the_newest_notifications_the_policy_allows()
    {
        var given = new Given().Members("rita").Subscribe("rita");
        var kept = PlanCatalog.Default.Policy.NotificationsKept;
        var all = Given.Ok(given.Engine.Notifications(Given.Start.AddYears(20), "rita"));
        Assert.Equal(kept, all.Count);
        Assert.True(all[^1].Id > kept);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.At <= p.Second.At));
    }
}
