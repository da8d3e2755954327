using InMail.Domain.Catalog;
using InMail.Domain.Outreach;
using InMail.Domain.Tests.Rules;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Outreach;

/// <summary>SPEC §10 scheduled sends: the best window worked by hand across zones and clock changes, the pending limit, and their place in the member's document.</summary>
public sealed class ScheduleTests
{
    [Theory]
    // Monday 10:00 UTC, no zone: Tuesday 07:00 UTC.
    [InlineData("2026-03-02T10:00:00Z", null, "2026-03-03T07:00:00Z")]
    // Inside a window it is now; at its end it is the next one.
    [InlineData("2026-03-03T07:59:59Z", null, "2026-03-03T07:59:59Z")]
    [InlineData("2026-03-03T08:00:00Z", null, "2026-03-03T17:00:00Z")]
    // Thursday evening after 18:00: next Tuesday.
    [InlineData("2026-03-05T18:00:00Z", null, "2026-03-10T07:00:00Z")]
    // New York before its clock change (EST, UTC−5): Tuesday 07:00 = 12:00 UTC.
    [InlineData("2026-03-02T16:00:00Z", "America/New_York", "2026-03-03T12:00:00Z")]
    // New York after it (EDT from Sunday 8 March, UTC−4): Tuesday 07:00 = 11:00 UTC.
    [InlineData("2026-03-09T16:00:00Z", "America/New_York", "2026-03-10T11:00:00Z")]
    // Tokyo is already Tuesday 01:00: 07:00 JST = Monday 22:00 UTC.
    [InlineData("2026-03-02T16:00:00Z", "Asia/Tokyo", "2026-03-02T22:00:00Z")]
    // Across the date line: Kiritimati (UTC+14) on Thursday 18:30 local is Thursday 04:30 UTC; next is Tuesday 07:00 local = Monday 17:00 UTC.
    [InlineData("2026-03-05T04:30:00Z", "Pacific/Kiritimati", "2026-03-09T17:00:00Z")]
    // An unknown zone is UTC.
    [InlineData("2026-03-02T10:00:00Z", "Mars/Olympus", "2026-03-03T07:00:00Z")]
    public void The_best_window_is_the_next_Tuesday_to_Thursday_hour_in_the_recipients_zone(string now, string? zone, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture),
            BestWindow.Next(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), zone));

    [Fact]
    public void A_wall_clock_time_a_clock_change_skips_moves_on_by_the_change()
    {
        var newYork = BestWindow.ZoneOf("America/New_York");
        // 02:30 on 8 March 2026 does not exist in New York (02:00 EST → 03:00 EDT): it is 03:00 EDT, 07:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 0, 0, TimeSpan.Zero), Time.UtcCalendar.FromWallClock(new DateTime(2026, 3, 8, 2, 30, 0), newYork));
        Assert.Equal(new DateTimeOffset(2026, 3, 8, 6, 30, 0, TimeSpan.Zero), Time.UtcCalendar.FromWallClock(new DateTime(2026, 3, 8, 1, 30, 0), newYork));
    }

    [Fact]
    public void A_member_has_at_most_the_catalogs_number_of_pending_schedules_and_a_cancel_frees_a_place()
    {
        var given = new Given().Members("rita", "sam").Subscribe("rita");
        var limit = PlanCatalog.Default.Policy.PendingSchedulesPerMember;
        var later = given.Now.AddDays(1);
        for (var i = 0; i < limit; i++)
        {
            Assert.True(given.Engine.Schedule(given.Now, $"s{i}", new Draft("rita", "sam", "Hi", "Sam?"), later, false).IsSuccess);
        }
        var refused = given.Engine.Schedule(given.Now, "one-more", new Draft("rita", "sam", "Hi", "Sam?"), later, false);
        Assert.Equal(RefusalCode.ScheduleLimitReached, refused.Refusal!.Code);
        Assert.Equal(limit, given.Engine.State.FindMember("rita")!.Schedules.Count);
        Assert.True(given.Engine.CancelSchedule(given.Now, "rita", "s3").IsSuccess);
        Assert.True(given.Engine.Schedule(given.Now, "one-more", new Draft("rita", "sam", "Hi", "Sam?"), later, false).IsSuccess);
    }

    [Fact]
    public void Due_work_never_runs_early_and_runs_once()
    {
        var given = new Given().Members("rita", "sam").Subscribe("rita");
        var due = given.Now.AddHours(2);
        Assert.True(given.Engine.Schedule(given.Now, "s", new Draft("rita", "sam", "Hi", "Sam?"), due, false).IsSuccess);
        Assert.Empty(given.Engine.DueSchedules(due.AddTicks(-1)));
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.RunSchedule(due.AddTicks(-1), "rita", "s").Refusal!.Code);
        Assert.Single(given.Engine.DueSchedules(due));
        var ran = given.Engine.RunSchedule(due, "rita", "s");
        Assert.Equal(ScheduleStatus.Sent, ran.Value.Status);
        Assert.Equal(RefusalCode.ScheduleNotPending, given.Engine.RunSchedule(due, "rita", "s").Refusal!.Code);
        Assert.Empty(given.Engine.DueSchedules(due.AddDays(1)));
        Assert.Equal(14, given.Engine.Credits(due, "rita").Value.Usable);
    }

    [Fact]
    public void A_schedule_that_falls_due_at_the_daily_limit_is_refused_charges_nothing_and_says_so()
    {
        // Premium Career allows 10 InMails in 24 hours.
        var given = new Given().Members("rita", "sam").Subscribe("rita", "premium-career").Buy("rita", 25);
        var due = given.Now.AddHours(2);
        Given.Ok(given.Engine.Schedule(given.Now, "later", new Draft("rita", "sam", "Hi", "Sam?"), due, false));
        given.At(given.Now.AddHours(1));
        foreach (var other in given.Many("x", 10))
        {
            given.Sends("rita", other);
        }
        var credits = given.Credits("rita");
        var ran = Given.Ok(given.Engine.RunSchedule(due, "rita", "later"));
        Assert.Equal((ScheduleStatus.Refused, "daily-limit-reached"), (ran.Status, ran.Code));
        given.At(due);
        Assert.Equal(credits, given.Credits("rita"));
        Assert.Null(given.Engine.State.FindConversation("rita", "sam"));
        var told = Assert.Single(Given.Ok(given.Engine.Notifications(due, "rita")), n => n.Kind == Messaging.NotificationKinds.ScheduleRefused);
        Assert.Equal((due, "later"), (told.At, told.About));
    }

    [Fact]
    public void Schedules_leave_memory_with_their_member_and_come_back_with_their_outcome()
    {
        var given = new Given().Members("rita", "sam").Subscribe("rita");
        var due = given.Now.AddHours(1);
        Assert.True(given.Engine.Schedule(given.Now, "ran", new Draft("rita", "sam", "Hi", "Sam?"), due, false).IsSuccess);
        Assert.True(given.Engine.Schedule(given.Now, "waits", new Draft("rita", "sam", Template: null, Subject: "Later", Body: "Sam, later?"), null, true).IsSuccess);
        Assert.True(given.Engine.RunSchedule(due, "rita", "ran").IsSuccess);
        var source = new MemoryStateSource();
        source.Save(given.Engine.State);
        var reloaded = new InMailEngine(PlanCatalog.Default);
        reloaded.State.Attach(source, PlanCatalog.Default);
        var rita = reloaded.State.FindMember("rita")!;
        Assert.Equal(ScheduleStatus.Sent, rita.Schedules["ran"].Status);
        Assert.Equal(given.Engine.State.FindMember("rita")!.Schedules["ran"].MessageId, rita.Schedules["ran"].MessageId);
        Assert.Equal(ScheduleStatus.Pending, rita.Schedules["waits"].Status);
        Assert.True(rita.Schedules["waits"].BestWindow);
        Assert.Equal(given.Engine.State.FindMember("rita")!.Schedules["waits"].DueAt, rita.Schedules["waits"].DueAt);
    }
}
