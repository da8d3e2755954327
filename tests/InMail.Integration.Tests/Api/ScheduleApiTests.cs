using System.Diagnostics;
using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>SPEC §10 scheduled sends over HTTP: the owner line, the codes, and a live server's scheduler running due work on the real clock.</summary>
public sealed class ScheduleApiTests
{
    [Fact]
    public async Task Scheduled_sends_are_the_owners_alone_and_cancel_only_while_pending()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("lee", "Lee Park");
        var now = DateTimeOffset.Parse((await op.GetJson("/api/v1/operator/clock"))["now"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var at = now.AddHours(3).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        var created = await rita.PostAsync("/api/v1/schedules", new { id = "s1", to = "lee", subject = "Hi", body = "Lee, a question?", sendAt = at });
        var s1 = await Expect(created, HttpStatusCode.Created);
        Assert.Equal("/api/v1/members/rita/schedules/s1", created.Headers.Location?.ToString());
        Assert.Equal("pending", s1["status"]!.GetValue<string>());
        Assert.Single((await rita.GetJson("/api/v1/members/me/schedules?status=pending")).AsArray());
        Assert.Empty((await rita.GetJson("/api/v1/members/me/schedules?status=sent")).AsArray());
        await Refused(await rita.GetAsync("/api/v1/members/me/schedules?status=done"), HttpStatusCode.BadRequest, "invalid-input");

        // Another member cannot list, read or cancel it; cancelling "their own" s1 finds nothing.
        await Refused(await sam.GetAsync("/api/v1/members/rita/schedules"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.GetAsync("/api/v1/members/rita/schedules/s1"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.DeleteAsync("/api/v1/members/rita/schedules/s1"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.DeleteAsync("/api/v1/members/me/schedules/s1"), HttpStatusCode.NotFound, "unknown-schedule");
        Assert.Equal("pending", (await rita.GetJson("/api/v1/members/me/schedules/s1"))["status"]!.GetValue<string>());

        await Refused(await rita.PostAsync("/api/v1/schedules", new { id = "s2", to = "lee", subject = "Hi", body = "Lee?", sendAt = "soon" }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PostAsync("/api/v1/schedules", new { id = "s2", to = "lee", subject = "Hi", body = "Lee?", window = "best", sendAt = at }), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.PostAsync("/api/v1/schedules", new { id = "s2", to = "rita", subject = "Hi", body = "Me?", window = "best" }), HttpStatusCode.UnprocessableEntity, "self-message");

        var cancelled = await Expect(await rita.DeleteAsync("/api/v1/members/me/schedules/s1"), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        await Refused(await rita.DeleteAsync("/api/v1/members/me/schedules/s1"), HttpStatusCode.Conflict, "schedule-not-pending");
        await Refused(await rita.GetAsync("/api/v1/members/me/schedules/nope"), HttpStatusCode.NotFound, "unknown-schedule");
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task A_live_server_sends_due_work_on_the_real_clock_within_a_second(Database database)
    {
        await using var server = await InMailServer.StartAsync(database, new Dictionary<string, string?> { ["InMail:Mode"] = "Live", ["InMail:OperatorPassword"] = "test-operator-password" });
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        await server.MemberAsync("sam", "Sam Lee");
        // The server's clock stands still unless moved (the fixture's SettableClock); the scheduler itself looks on real time, every half second.
        var due = server.Clock.GetUtcNow().AddSeconds(2);
        var created = await Expect(await rita.PostAsync("/api/v1/schedules", new { id = "soon", to = "sam", subject = "Hi", body = "Sam, a question?", sendAt = due.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture) }), HttpStatusCode.Created);
        Assert.Equal("pending", created["status"]!.GetValue<string>());
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(1500, TestContext.Current.CancellationToken);
        Assert.Equal("pending", (await rita.GetJson("/api/v1/members/me/schedules/soon"))["status"]!.GetValue<string>()); // never early
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var now = await rita.GetJson("/api/v1/members/me/schedules/soon");
            if (now["status"]!.GetValue<string>() != "pending")
            {
                // Rita is on Basic: the send is decided when it runs, and a stranger needs a paid InMail.
                Assert.Equal("refused", now["status"]!.GetValue<string>());
                Assert.Equal("inmail-requires-paid-plan", now["code"]!.GetValue<string>());
                var ended = DateTimeOffset.Parse(now["endedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(due, ended); // the clock stood at the due instant when the scheduler looked
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"ran {watch.Elapsed} after it fell due");
                break;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), "the scheduled send never ran");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
