using System.Globalization;
using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Issue 10: a read shows the member as they stand now, even when nothing ran at the instant a rule
/// fell due. The test moves the server's clock directly (no due work runs), so only the read itself
/// can catch the member up.
/// </summary>
public sealed class CaughtUpReadTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task A_subscription_that_ended_between_two_requests_is_not_shown_as_running(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var rita = await ApiContract.Subscribed(server, "rita");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await Expect(await rita.PatchAsync("/api/v1/members/me/settings", new { openProfile = true }), HttpStatusCode.OK);
        var cancelled = await Expect(await rita.DeleteAsync("/api/v1/members/rita/subscription"), HttpStatusCode.OK);
        var endsAt = DateTimeOffset.Parse(cancelled["endsAt"]!.GetValue<string>(), CultureInfo.InvariantCulture);

        Assert.True((await sam.GetJson("/api/v1/members/rita"))["openProfile"]!.GetValue<bool>());
        Assert.Equal("premium-business", (await rita.GetJson("/api/v1/members/me/settings"))["plan"]!.GetValue<string>());

        server.Clock.Advance(endsAt - server.Clock.GetUtcNow() + TimeSpan.FromHours(1));
        // A month on, the access tokens have expired: sign in again (which reads nothing of the plan).
        sam = server.As(await server.Anonymous().SignInAsync("sam", Password));
        rita = server.As(await server.Anonymous().SignInAsync("rita", Password));

        // Open Profile works only on a paid plan, and the plan ended an hour ago.
        Assert.False((await sam.GetJson("/api/v1/members/rita"))["openProfile"]!.GetValue<bool>());
        var found = (await sam.GetJson("/api/v1/members?q=rita")).AsArray();
        Assert.False(Assert.Single(found)!["openProfile"]!.GetValue<bool>());
        var settings = await rita.GetJson("/api/v1/members/me/settings");
        Assert.Equal("basic", settings["plan"]!.GetValue<string>());
        Assert.True(settings["openProfile"]!.GetValue<bool>()); // the setting stays; it works again on a paid plan
        Assert.Equal("basic", (await rita.GetJson("/api/v1/auth/me"))["plan"]!.GetValue<string>());
    }
}
