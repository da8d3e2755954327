using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace InMail.Browser.Tests;

/// <summary>Issue 13 in the pages: every Results chart is an image with a name, and its table opens beside it, on a desktop and on a phone.</summary>
public sealed class ResultsChartTests(Chromium chromium)
{
    private static readonly string[] Zones = ["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Oslo", "America/New_York", "Asia/Tokyo"];

    [Fact]
    public async Task Each_chart_opens_its_table_on_a_desktop_and_a_phone()
    {
        await using var server = BrowserServer.Start();
        await server.RegisterAsync("alice", "Alice Archer");
        async Task<string> Token(string member)
        {
            using var http = server.Api();
            using var response = await http.PostAsJsonAsync("/api/v1/auth/token", new { member, password = BrowserServer.Password }, TestContext.Current.CancellationToken);
            var body = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
            return body["accessToken"]!.GetValue<string>();
        }
        await server.CallAsync(await Token("alice"), HttpMethod.Post, "/api/v1/members/me/subscription", new { plan = "sales-navigator-core" });
        // Thirty recipients, one InMail each, a little over a day apart across five weeks; bodies from 60 to 560 characters.
        var late = new List<(string Member, string Message)>();
        for (var k = 0; k < 30; k++)
        {
            var id = $"r{k:00}";
            var token = await server.RegisterAsync(id, $"Recipient {k}");
            await server.CallAsync(token, HttpMethod.Put, "/api/v1/members/me/profile", new { name = $"Recipient {k}", timeZone = Zones[k % Zones.Length] });
            var body = $"Hello {k}, " + new string('a', 50 + (k * 17 % 500)) + "?";
            var sent = await server.CallAsync(await Token("alice"), HttpMethod.Post, "/api/v1/messages", new { to = id, subject = "A role", body });
            var message = sent["message"]!["id"]!.GetValue<string>();
            var delay = TimeSpan.FromHours(1 + (k * 7 % 20));
            if (k % 5 is 0 or 2)
            {
                server.Clock.Advance(delay);
                await server.CallAsync(token, HttpMethod.Post, $"/api/v1/messages/{message}/responses", k % 10 == 0 ? new { kind = "accept", body = (string?)null } : new { kind = "reply", body = (string?)"Happy to talk." });
                server.Clock.Advance(TimeSpan.FromHours(29) - delay);
            }
            else
            {
                if (k % 5 == 3)
                {
                    late.Add((id, message));
                }
                server.Clock.Advance(TimeSpan.FromHours(29));
            }
        }
        server.Clock.Advance(TimeSpan.FromDays(4));
        foreach (var (member, message) in late)
        {
            await server.CallAsync(await Token(member), HttpMethod.Post, $"/api/v1/messages/{message}/responses", new { kind = "reply", body = "Sorry for the wait." });
        }

        foreach (var phone in new[] { false, true })
        {
            var page = await chromium.NewPageAsync(server.Address, phone);
            await page.SignInAsync("alice");
            await page.GotoAsync("/results");
            foreach (var (chart, name, table) in new[]
            {
                ("weekly", "Reply and positive rate by week", "Table: Reply and positive rate by week"),
                ("send-times", "Replies by weekday and hour of the send, in the recipient's time", "Table: replies by weekday and hour of the send, recipient's time"),
                ("body-length", "Reply and positive rate by body length", "Table: Reply and positive rate by body length"),
                ("reply-times", "Time to first reply", "Table: Time to first reply"),
                ("funnel", "From delivered to a meeting", "Table: From delivered to a meeting"),
                ("credits", "Credits spent, refunded and expired per month", "Table: Credits spent, refunded and expired per month"),
            })
            {
                var image = page.GetByRole(AriaRole.Img, new() { Name = name, Exact = true });
                await Expect(image).ToBeVisibleAsync();
                await page.Locator($"#chart-{chart}").ScreenshotAsync(new() { Path = Path.Combine(Screenshots.Directory, $"chart-{chart}{(phone ? "-phone" : "")}.png") });
                var data = page.GetByTestId($"{chart}-table");
                await Expect(data.GetByRole(AriaRole.Table)).Not.ToBeVisibleAsync();
                await data.GetByText(table, new() { Exact = true }).ClickAsync();
                await Expect(data.GetByRole(AriaRole.Table)).ToBeVisibleAsync();
            }
            var funnel = page.GetByTestId("funnel-table");
            await Expect(funnel.GetByRole(AriaRole.Row, new() { Name = "delivered 30 100%", Exact = true })).ToBeVisibleAsync();
            await Expect(funnel.GetByRole(AriaRole.Row, new() { Name = "replied 18 60%", Exact = true })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("send-times-table").GetByRole(AriaRole.Row)).ToHaveCountAsync(8);
            await Expect(page.GetByTestId("seed-window")).ToContainTextAsync("Sent in those windows");
            await Screenshots.SaveAsync(page, phone ? "results-charts-phone" : "results-charts");
        }
    }
}
