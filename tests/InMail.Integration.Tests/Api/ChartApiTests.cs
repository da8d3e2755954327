using System.Net;
using InMail.Storage;
using Microsoft.Extensions.DependencyInjection;
using static InMail.Integration.Tests.Api.ApiClient;
using Browser = InMail.Integration.Tests.Api.ErrorPageTests.Browser;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// The Results charts from the tables (issue 13, decision 014): the same report and series as the engine computes
/// from the conversations in memory, each chart's data as CSV for its owner and the operator only, and the page.
/// </summary>
public sealed class ChartApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Rita (Premium Business) sends paid InMails to recipients on both sides of the date line and an open-profile
    /// one; they reply, accept, decline, read, one answers after 90 days; she marks outcomes; her allowance expires.
    /// </summary>
    private static async Task<(InMailServer Server, ApiClient Rita, ApiClient Sam, ApiClient Op)> HistoryAsync(Database database)
    {
        var server = await InMailServer.StartAsync(database);
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        var people = new Dictionary<string, ApiClient>();
        foreach (var (id, zone) in new[] { ("kiri", "Pacific/Kiritimati"), ("pago", "Pacific/Pago_Pago"), ("sam", (string?)null), ("ola", "Europe/Oslo"), ("tess", "America/New_York") })
        {
            people[id] = await server.MemberAsync(id, $"{char.ToUpperInvariant(id[0])}{id[1..]} Person");
            if (zone is not null)
            {
                await Expect(await people[id].PutAsync("/api/v1/members/me/profile", new { name = $"{id} Person", timeZone = zone }), HttpStatusCode.OK);
            }
        }
        // Ola is on a paid plan with Open Profile on: Rita's InMail to her is free.
        await Expect(await people["ola"].PostAsync("/api/v1/members/me/subscription", new { plan = "premium-career" }), HttpStatusCode.Created);
        await Expect(await people["ola"].PatchAsync("/api/v1/members/me/settings", new { openProfile = true }), HttpStatusCode.OK);

        async Task<string> Send(string to, string body)
        {
            var sent = await Expect(await rita.PostAsync("/api/v1/messages", new { to, subject = "A role", body }), HttpStatusCode.Created);
            return sent["message"]!["id"]!.GetValue<string>();
        }
        var kiri = await Send("kiri", "Kiri, would you have ten minutes this week?");
        var pago = await Send("pago", new string('x', 420) + " — a question?");
        var ola = await Send("ola", "Ola 👋🏽, a chat?");
        var tess = await Send("tess", "Tess, a chat?");
        var sam = await Send("sam", "Sam, a chat?");
        server.Clock.Advance(TimeSpan.FromHours(3));
        await Expect(await people["kiri"].PostAsync($"/api/v1/messages/{kiri}/responses", new { kind = "reply", body = "Sure." }), HttpStatusCode.Created);
        await Expect(await people["ola"].PostAsync($"/api/v1/messages/{ola}/responses", new { kind = "accept" }), HttpStatusCode.Created);
        await Expect(await people["tess"].PostAsync("/api/v1/conversations/rita/read"), HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromDays(2));
        await Expect(await people["pago"].PostAsync($"/api/v1/messages/{pago}/responses", new { kind = "decline" }), HttpStatusCode.Created);
        await Expect(await rita.PutAsync($"/api/v1/messages/{kiri}/outcome", new { outcome = "meeting-booked" }), HttpStatusCode.OK);
        await Expect(await rita.PutAsync($"/api/v1/messages/{pago}/outcome", new { outcome = "positive" }), HttpStatusCode.OK);
        server.Clock.Advance(TimeSpan.FromDays(91));
        // Access tokens do not last 91 days: sign in again.
        rita = server.As(await server.Anonymous().SignInAsync("rita", Password));
        people["sam"] = server.As(await server.Anonymous().SignInAsync("sam", Password));
        var op = await server.OperatorAsync();
        await Expect(await people["sam"].PostAsync($"/api/v1/messages/{sam}/responses", new { kind = "reply", body = "Late, sorry." }), HttpStatusCode.Created);
        await Send("tess", "One more, Tess?"); // brings Rita's wallet up to date: her first allowances expired
        return (server, rita, people["sam"], op);
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task The_tables_give_the_same_report_and_series_as_the_conversations_in_memory(Database database)
    {
        var (server, _, _, _) = await HistoryAsync(database);
        await using var _ = server;
        var store = server.Services.GetRequiredService<CommandStore>();

        // The report and every series equal the engine's (OutreachChecks asserts each); then the hand-made facts.
        var fromTables = await Storage.OutreachChecks.MatchTheEngineAsync(store, "rita");
        var report = fromTables.Report;
        Assert.Equal((6, 5, 4), (report.All.Delivered, report.InMail.Delivered, report.All.Responded));
        Assert.Equal(1, report.OpenProfile.Delivered);

        // Monday 2 March 09:00 UTC is Monday 23:00 in Kiritimati (UTC+14) and Sunday 22:00 in Pago Pago (UTC−11).
        var sent = fromTables.Charts.SendTimes.Where(c => c.Delivered > 0).Select(c => (c.Day, c.Hour, c.Delivered)).ToList();
        Assert.Contains((DayOfWeek.Monday, 23, 1), sent);
        Assert.Contains((DayOfWeek.Sunday, 22, 1), sent);
        // Sam's reply came 91 days after the send: a reply, in the last bucket, and no refund.
        Assert.Equal(1, fromTables.Charts.ReplyTimes[^1].Count);
        Assert.Equal(2, report.All.CreditsRefunded); // kiri, pago (decline) — tess never answered, ola's was free, sam's came too late
        Assert.True(fromTables.Charts.Credits.Sum(m => m.Expired) > 0);
        Assert.Equal(fromTables.Charts.Credits.Sum(m => m.Spent), report.All.CreditsSpent);
    }

    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task Each_chart_downloads_as_csv_for_its_owner_and_the_operator_only(Database database)
    {
        var (server, rita, sam, op) = await HistoryAsync(database);
        await using var _ = server;

        async Task<string[]> Csv(ApiClient who, string path)
        {
            var response = await who.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
            return (await response.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        }

        var funnel = await Csv(rita, "/api/v1/members/me/outreach/charts/funnel.csv");
        Assert.Equal(["stage,count,share_of_delivered", "delivered,6,1", "opened,5,0.833333", "replied,4,0.666667", "positive,3,0.5", "meeting,1,0.166667"], funnel);
        var times = await Csv(rita, "/api/v1/members/rita/outreach/charts/reply-times.csv");
        Assert.Equal("bucket,from_seconds,to_seconds,replies,share", times[0]);
        Assert.Equal("over 90 days (no refund),7776000,,1,0.25", times[^1]);
        var cells = await Csv(op, "/api/v1/members/rita/outreach/charts/send-times.csv");
        Assert.Equal(1 + (7 * 24), cells.Length);
        Assert.Equal("weekday,hour,delivered,replied,reply_rate,seed_window", cells[0]);
        Assert.Equal("Monday,23,1,1,1,no", cells[24]);
        Assert.Contains("Tuesday,7,0,0,,yes", cells);
        Assert.Equal("week,week_start,delivered,replied,positive,reply_rate,positive_rate", (await Csv(rita, "/api/v1/members/me/outreach/charts/weekly.csv"))[0]);
        Assert.Equal("from_chars,to_chars,delivered,replied,positive,reply_rate,positive_rate", (await Csv(rita, "/api/v1/members/me/outreach/charts/body-length.csv"))[0]);
        var credits = await Csv(rita, "/api/v1/members/me/outreach/charts/credits.csv");
        Assert.Equal(["month,spent,refunded,expired", "2026-03,4,2,0"], credits[..2]);

        // A period with nothing sent: the header alone, or the fixed rows with nothing in them.
        Assert.Single(await Csv(rita, "/api/v1/members/me/outreach/charts/weekly.csv?to=2026-01-01T00:00:00Z"));
        Assert.Equal("delivered,0,", (await Csv(rita, "/api/v1/members/me/outreach/charts/funnel.csv?to=2026-01-01T00:00:00Z"))[1]);

        await Refused(await sam.GetAsync("/api/v1/members/rita/outreach/charts/funnel.csv"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await rita.GetAsync("/api/v1/members/me/outreach/charts/pie.csv"), HttpStatusCode.NotFound, "unknown-chart");
        await Refused(await rita.GetAsync("/api/v1/members/me/outreach/charts/funnel.csv?from=yesterday"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await rita.GetAsync("/api/v1/members/me/outreach/charts/funnel.csv?from=2026-04-01T00:00:00Z&to=2026-03-01T00:00:00Z"), HttpStatusCode.BadRequest, "invalid-input");
        await Refused(await op.GetAsync("/api/v1/members/nobody/outreach/charts/funnel.csv"), HttpStatusCode.NotFound, "unknown-member");
    }

    [Fact]
    public async Task The_results_page_draws_every_chart_with_a_title_a_description_and_a_table()
    {
        var (server, _, _, _) = await HistoryAsync(Database.Sqlite);
        await using var _ = server;
        var browser = new Browser(server);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("rita", Password)).StatusCode);

        var response = await browser.GetAsync("/results");
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var chart in new[] { "weekly", "send-times", "body-length", "reply-times", "funnel", "credits" })
        {
            Assert.Contains($"aria-labelledby=\"{chart}-title\" aria-describedby=\"{chart}-desc\"", html, StringComparison.Ordinal);
            Assert.Contains($"<title id=\"{chart}-title\">", html, StringComparison.Ordinal);
            Assert.Contains($"data-testid=\"{chart}-table\"", html, StringComparison.Ordinal);
            Assert.Contains($"/api/v1/members/me/outreach/charts/{chart}.csv", html, StringComparison.Ordinal);
        }
        Assert.Contains("role=\"img\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=\"", html, StringComparison.Ordinal); // the pages' policy allows no inline style

        // The last 30 days (the clock is 93 days on): one InMail, and the CSV links carry the period.
        var recent = await (await browser.GetAsync("/results?days=30")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("/api/v1/members/me/outreach/charts/funnel.csv?from=2026-05-04T", recent, StringComparison.Ordinal);
    }
}
