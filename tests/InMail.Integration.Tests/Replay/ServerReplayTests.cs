using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using InMail.Cli;
using InMail.Cli.Replay;
using InMail.Domain.Catalog;
using InMail.Domain.Inspection;
using InMail.Domain.Tests.Replay;
using InMail.Integration.Tests.Api;
using InMail.Web.Hosting;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Replay;

/// <summary>
/// <c>inmail replay --server</c>: every scenario, run through the HTTP API of a fresh server in test
/// mode, must come out exactly as it does on the in-memory engine: the same checks with the same
/// verdicts and words, and the same final state, member by member, ledger line by ledger line.
/// </summary>
public sealed class ServerReplayTests
{
    /// <summary>A replay server's settings: test mode (the fixture's), with the clock starting well before any script.</summary>
    private static readonly Dictionary<string, string?> ReplaySettings = new(StringComparer.Ordinal) { ["InMail:ClockStart"] = "2000-01-01T00:00:00Z" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, Database> Scenarios()
    {
        var data = new TheoryData<string, Database>();
        foreach (var database in new[] { Database.Sqlite, Database.Postgres })
        {
            foreach (var dir in new[] { RepositoryPaths.SharedScenarios, RepositoryPaths.OwnScenarios })
            {
                foreach (var file in Directory.GetFiles(dir, "*.jsonl").Order(StringComparer.Ordinal))
                {
                    data.Add(file, database);
                }
            }
        }
        return data;
    }

    [Fact]
    public void The_shared_and_own_scenarios_are_found_in_the_repository()
    {
        Assert.True(Directory.GetFiles(RepositoryPaths.SharedScenarios, "*.jsonl").Length >= 3, $"no scenarios in {RepositoryPaths.SharedScenarios}");
        Assert.True(Directory.GetFiles(RepositoryPaths.OwnScenarios, "*.jsonl").Length >= 5, $"no scenarios in {RepositoryPaths.OwnScenarios}");
    }

    [Fact]
    public void Every_verb_a_script_can_say_has_a_request()
    {
        var unmapped = ScenarioScript.VerbNames.Where(v => v != "expect" && !HttpTarget.Verbs.Contains(v)).ToList();
        Assert.True(unmapped.Count == 0, "no HTTP mapping for: " + string.Join(", ", unmapped));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task A_scenario_over_http_comes_out_as_it_does_in_memory(string file, Database database)
    {
        var steps = ScenarioScript.Parse(await File.ReadAllTextAsync(file, Ct));
        var end = steps[^1].At;
        var memory = new EngineTarget(PlanCatalog.Default);
        var inMemory = await new ReplayRunner(memory).RunAsync(steps, null, Ct);

        await using var server = await InMailServer.StartAsync(database, ReplaySettings);
        var http = await HttpTarget.ConnectAsync(server.Anonymous().Http, HttpTarget.DefaultOperatorPassword, steps[0].At, Ct);
        var overHttp = await new ReplayRunner(http).RunAsync(steps, null, Ct);

        Assert.NotEmpty(overHttp.Checks);
        Assert.True(overHttp.Failed == 0, Report(overHttp));
        Assert.Equal(inMemory.Checks, overHttp.Checks);
        Assert.Equal(Normal(StateJson.Snapshot(memory.Engine, end)), Normal(await http.StateAsync(includeActivity: false, Ct)));
        Assert.Equal(Normal(StateJson.Snapshot(memory.Engine, end, includeActivity: true)), Normal(await http.StateAsync(includeActivity: true, Ct)));
    }

    [Fact]
    public async Task A_check_that_does_not_hold_over_http_fails_with_expected_and_actual()
    {
        var steps = ScenarioScript.Parse(
            """
            {"at":"2026-01-05T00:00:00Z","do":"member","id":"alice","name":"Alice"}
            {"at":"2026-01-05T00:00:00Z","do":"subscribe","member":"alice","plan":"premium-business","billing":"monthly"}
            {"at":"2026-01-05T00:00:00Z","do":"expect","member":"alice","credits":16}
            {"at":"2026-01-05T00:00:00Z","do":"buy","member":"alice","pack":7,"expect":"purchase-not-allowed"}
            {"at":"2026-01-05T00:00:00Z","do":"expect","member":"ghost","credits":0}
            """);
        await using var server = await InMailServer.StartAsync(Database.Sqlite, ReplaySettings);
        var http = await HttpTarget.ConnectAsync(server.Anonymous().Http, HttpTarget.DefaultOperatorPassword, steps[0].At, Ct);
        var report = await new ReplayRunner(http).RunAsync(steps, null, Ct);

        Assert.Equal([3, 4, 5], report.Checks.Select(c => c.Line));
        Assert.All(report.Checks, c => Assert.False(c.Held));
        Assert.Contains("credits expected 16, actual 15", report.Checks[0].Text, StringComparison.Ordinal);
        Assert.Contains("expected refusal purchase-not-allowed, actual unknown-pack", report.Checks[1].Text, StringComparison.Ordinal);
        Assert.Contains("there is no member 'ghost'", report.Checks[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_replay_command_runs_a_script_against_a_server_on_a_port_once()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite, ReplaySettings, kestrel: true);
        var file = Path.Combine(RepositoryPaths.SharedScenarios, "01-allowance-cap-refund.jsonl");

        var (exit, output, error) = await Inmail("replay", "--server", server.Url.ToString(), "--json", file);
        Assert.True(exit == ReplayCommand.AllHeld, $"exit {exit}\n{output}\n{error}");
        Assert.Contains("7 held, 0 failed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
        // --json prints the server's state in the script's words: its message names, no operator.
        var state = JsonNode.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..])!;
        Assert.Equal(["alice", "bob"], state["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Contains(state["members"]![0]!["ledger"]!.AsArray(), e => e!["kind"]!.GetValue<string>() == "refund" && e["message"]?.GetValue<string>() == "m1");

        // The server now holds the script's members: a second script would not start on an empty system.
        (exit, _, error) = await Inmail("replay", "--server", server.Url.ToString(), file);
        Assert.Equal(ReplayCommand.Malformed, exit);
        Assert.Contains("not fresh", error, StringComparison.Ordinal);
        Assert.Contains("alice, bob", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_replay_command_exits_2_when_the_server_cannot_run_the_script()
    {
        var file = Path.Combine(RepositoryPaths.SharedScenarios, "01-allowance-cap-refund.jsonl");
        var closed = ClosedPort();
        var (exit, _, error) = await Inmail("replay", "--server", $"http://127.0.0.1:{closed}", file);
        Assert.Equal(ReplayCommand.Malformed, exit);
        Assert.Contains("cannot reach the server", error, StringComparison.Ordinal);

        (exit, _, error) = await Inmail("replay", "--server", "http://127.0.0.1:1", file, file);
        Assert.Equal(ReplayCommand.Malformed, exit);
        Assert.Contains("one script", error, StringComparison.Ordinal);

        // Without ClockStart the test-mode clock is the fixture's 2026-03-02, after the script's 2026-01-05.
        await using var late = await InMailServer.StartAsync(Database.Sqlite, kestrel: true);
        (exit, _, error) = await Inmail("replay", "--server", late.Url.ToString(), file);
        Assert.Equal(ReplayCommand.Malformed, exit);
        Assert.Contains("--InMail:ClockStart", error, StringComparison.Ordinal);

        (exit, _, error) = await Inmail("replay", "--server", late.Url.ToString(), "--operator-password", "not the password", file);
        Assert.Equal(ReplayCommand.Malformed, exit);
        Assert.Contains("cannot sign in", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_limits_sign_ins_below_the_scripts_members_stops_the_replay_with_a_hint()
    {
        var steps = ScenarioScript.Parse(string.Join('\n', Enumerable.Range(1, 4).Select(i =>
            $$"""{"at":"2026-01-05T00:00:00Z","do":"member","id":"m{{i}}","name":"M{{i}}"}""")));
        await using var server = await InMailServer.StartAsync(Database.Sqlite,
            new Dictionary<string, string?>(ReplaySettings) { ["InMail:SignInsPerMinute"] = "3" });
        var http = await HttpTarget.ConnectAsync(server.Anonymous().Http, HttpTarget.DefaultOperatorPassword, steps[0].At, Ct);
        var stopped = await Assert.ThrowsAsync<ServerException>(() => new ReplayRunner(http).RunAsync(steps, null, Ct));
        Assert.Contains("rate-limited", stopped.Message, StringComparison.Ordinal);
        Assert.Contains("--InMail:SignInsPerMinute", stopped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_whole_state_is_served_in_test_mode_only()
    {
        await using var test = await InMailServer.StartAsync(Database.Sqlite, ReplaySettings);
        var ops = await test.OperatorAsync();
        var state = await ops.GetJson("/api/v1/operator/state?activity=true");
        Assert.Equal("2000-01-01T00:00:00Z", state["at"]!.GetValue<string>());
        Assert.Equal(["operator"], state["members"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.NotNull(state["messageStates"]);
        Assert.Null((await ops.GetJson("/api/v1/operator/state"))["messageStates"]);
        var member = await test.MemberAsync("alice");
        await Refused(await member.GetAsync("/api/v1/operator/state"), HttpStatusCode.Forbidden, "forbidden");

        await using var live = await InMailServer.StartAsync(Database.Sqlite,
            new Dictionary<string, string?> { ["InMail:Mode"] = "Live", ["InMail:OperatorPassword"] = "test-operator-password", ["InMail:ClockStart"] = "2000-01-01T00:00:00Z" });
        var liveOps = await live.OperatorAsync();
        await Refused(await liveOps.GetAsync("/api/v1/operator/state"), HttpStatusCode.Conflict, "not-in-test-mode");
        // ClockStart is a test-mode setting: a live service keeps its own time.
        Assert.Equal(InMailServer.Start, (await liveOps.GetJson("/api/v1/operator/clock"))["now"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public void A_test_mode_clock_with_a_start_stands_still_until_it_is_set()
    {
        var start = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var clock = ServiceSetup.CreateClock(null, new ServiceOptions { Mode = ServiceMode.Test, ClockStart = start });
        Assert.Equal(start, clock.GetUtcNow());
        Thread.Sleep(5);
        Assert.Equal(start, clock.GetUtcNow());
        var later = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        clock.Set(later);
        Thread.Sleep(5);
        Assert.Equal(later, clock.GetUtcNow());

        var live = ServiceSetup.CreateClock(null, new ServiceOptions { Mode = ServiceMode.Live, ClockStart = start });
        Assert.True(live.GetUtcNow() > later, "ClockStart is ignored outside test mode");
    }

    private static async Task<(int Exit, string Output, string Error)> Inmail(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct);
        return (exit, output.ToString(), error.ToString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string Normal(string json) => JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    private static string Report(ReplayReport report) => string.Join(Environment.NewLine, report.Checks.Select(c => $"line {c.Line} {(c.Held ? "ok" : "FAIL")} {c.Text}"));
}
