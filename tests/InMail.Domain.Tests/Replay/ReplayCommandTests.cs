using System.Text.Json;
using InMail.Cli.Replay;

namespace InMail.Domain.Tests.Replay;

public sealed class ReplayCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("inmail-replay-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var dir in new[] { RepositoryPaths.SharedScenarios, RepositoryPaths.OwnScenarios })
        {
            foreach (var file in Directory.GetFiles(dir, "*.jsonl").Order(StringComparer.Ordinal))
            {
                data.Add(file);
            }
        }
        return data;
    }

    [Fact]
    public void The_shared_scenarios_are_found_in_the_repository()
    {
        Assert.StartsWith(RepositoryPaths.Root, RepositoryPaths.SharedScenarios, StringComparison.Ordinal);
        Assert.True(Directory.GetFiles(RepositoryPaths.SharedScenarios, "*.jsonl").Length >= 3, $"no scenarios in {RepositoryPaths.SharedScenarios}");
    }

    [Fact]
    public void The_copied_examples_are_the_ones_their_README_records()
    {
        // The README's table names every copied file with its sha256 when copied: an edit here, or a
        // file added without saying where it came from, shows up as a difference.
        var recorded = File.ReadAllLines(Path.Combine(RepositoryPaths.SharedScenarios, "README.md"))
            .Select(line => System.Text.RegularExpressions.Regex.Match(line, @"^\| `([^`]+\.jsonl)` \| `([0-9a-f]{64})` \|$"))
            .Where(m => m.Success)
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
        var actual = Directory.GetFiles(RepositoryPaths.SharedScenarios, "*.jsonl")
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))), StringComparer.Ordinal);
        Assert.Equal(recorded.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Every_scenario_replays_with_all_checks_held(string file)
    {
        var (exit, output, error) = await Replay(file);
        Assert.True(exit == 0, $"exit {exit}\n{output}\n{error}");
        Assert.Contains(" 0 failed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_check_prints_expected_and_actual_and_exits_1()
    {
        var file = Script(
            """
            {"at":"2026-01-05T00:00:00Z","do":"member","id":"alice","name":"Alice"}
            {"at":"2026-01-05T00:00:00Z","do":"subscribe","member":"alice","plan":"premium-business","billing":"monthly"}
            {"at":"2026-01-05T00:00:00Z","do":"expect","member":"alice","credits":16}
            """);
        var (exit, output, _) = await Replay(file);
        Assert.Equal(1, exit);
        Assert.Contains("line 3", output, StringComparison.Ordinal);
        Assert.Contains("credits expected 16, actual 15", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unexpected_refusal_is_a_failed_check()
    {
        var file = Script(
            """
            {"at":"2026-01-05T00:00:00Z","do":"member","id":"alice","name":"Alice"}
            {"at":"2026-01-05T00:00:00Z","do":"buy","member":"alice","pack":10}
            """);
        var (exit, output, _) = await Replay(file);
        Assert.Equal(1, exit);
        Assert.Contains("expected success, actual refusal purchase-not-allowed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_expected_to_be_refused_that_succeeds_fails()
    {
        var file = Script(
            """
            {"at":"2026-01-05T00:00:00Z","do":"member","id":"alice","name":"Alice"}
            {"at":"2026-01-05T00:00:00Z","do":"member","id":"bob","name":"Bob"}
            {"at":"2026-01-05T00:00:00Z","do":"connect","a":"alice","b":"bob","expect":"blocked"}
            """);
        var (exit, output, _) = await Replay(file);
        Assert.Equal(1, exit);
        Assert.Contains("expected refusal blocked, but it was carried out", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"member\",\"id\":\"a\",\"name\":\"A\"}\n{not json", 2, "not valid JSON")]
    [InlineData("# comment\n\n{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"fly\"}", 3, "unknown verb 'fly'")]
    [InlineData("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"member\",\"id\":\"a\",\"name\":\"A\",\"age\":3}", 1, "unknown field 'age'")]
    [InlineData("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"member\",\"id\":\"a\"}", 1, "needs the field 'name'")]
    [InlineData("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"member\",\"id\":\"a\",\"name\":\"A\"}\n{\"at\":\"2026-01-04T00:00:00Z\",\"do\":\"member\",\"id\":\"b\",\"name\":\"B\"}", 2, "time goes backwards")]
    [InlineData("{\"do\":\"member\",\"id\":\"a\",\"name\":\"A\"}", 1, "needs \"at\"")]
    [InlineData("{\"at\":\"yesterday\",\"do\":\"member\",\"id\":\"a\",\"name\":\"A\"}", 1, "not an ISO-8601 instant")]
    [InlineData("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"buy\",\"member\":\"a\",\"pack\":\"ten\"}", 1, "'pack' must be a whole number")]
    [InlineData("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"buy\",\"member\":\"a\",\"pack\":10,\"expect\":\"too-poor\"}", 1, "refusal codes of SPEC §7")]
    [InlineData("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"send\",\"id\":\"m\",\"from\":\"a\",\"to\":\"b\",\"path\":\"pigeon\"}", 1, "\"path\" must be one of")]
    [InlineData("[1,2]", 1, "a step is a JSON object")]
    public async Task A_malformed_script_exits_2_with_its_line_and_what_is_wrong(string text, int line, string problem)
    {
        var file = Script(text);
        var (exit, output, error) = await Replay(file);
        Assert.Equal(2, exit);
        Assert.Contains($":{line}: malformed: ", error, StringComparison.Ordinal);
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.DoesNotContain("held", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_prints_every_members_credits_lots_and_ledger()
    {
        var file = Path.Combine(RepositoryPaths.SharedScenarios, "01-allowance-cap-refund.jsonl");
        var writer = new StringWriter();
        var exit = await ReplayCommand.RunAsync([new FileInfo(file)], null, json: true, quiet: true, writer, new StringWriter(), TestContext.Current.CancellationToken);
        Assert.Equal(0, exit);
        var text = writer.ToString();
        var json = text[text.IndexOf('{', StringComparison.Ordinal)..];
        using var doc = JsonDocument.Parse(json);
        var alice = doc.RootElement.GetProperty("members").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "alice");
        Assert.Equal(45, alice.GetProperty("credits").GetInt32());
        Assert.Equal(3, alice.GetProperty("lots").GetArrayLength());
        var ledger = alice.GetProperty("ledger").EnumerateArray().ToList();
        Assert.Contains(ledger, e => e.GetProperty("kind").GetString() == "refund" && e.GetProperty("message").GetString() == "m1");
        Assert.Equal(45, ledger[^1].GetProperty("balance").GetInt32());
    }

    [Fact]
    public async Task Another_catalog_changes_the_outcome()
    {
        var file = Script(
            """
            {"at":"2026-01-05T00:00:00Z","do":"member","id":"alice","name":"Alice"}
            {"at":"2026-01-05T00:00:00Z","do":"subscribe","member":"alice","plan":"sales-navigator-team","billing":"annual"}
            {"at":"2026-01-05T00:00:00Z","do":"expect","member":"alice","credits":15}
            {"at":"2026-02-05T00:00:00Z","do":"expect","member":"alice","credits":15}
            """);
        var catalog = new FileInfo(Path.Combine(RepositoryPaths.Root, "catalogs", "seed-001-no-rollover.json"));
        var writer = new StringWriter();
        var exit = await ReplayCommand.RunAsync([new FileInfo(file)], catalog, json: false, quiet: false, writer, new StringWriter(), TestContext.Current.CancellationToken);
        Assert.True(exit == 0, writer.ToString());
    }

    [Fact]
    public async Task A_broken_catalog_exits_2()
    {
        var catalog = Script("{\"plans\": []}");
        var file = Script("{\"at\":\"2026-01-05T00:00:00Z\",\"do\":\"member\",\"id\":\"a\",\"name\":\"A\"}");
        var error = new StringWriter();
        var exit = await ReplayCommand.RunAsync([new FileInfo(file)], new FileInfo(catalog), false, false, new StringWriter(), error, TestContext.Current.CancellationToken);
        Assert.Equal(2, exit);
        Assert.Contains("no plans", error.ToString(), StringComparison.Ordinal);
    }

    private string Script(string text)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int Exit, string Output, string Error)> Replay(string file)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ReplayCommand.RunAsync([new FileInfo(file)], null, json: false, quiet: false, output, error, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
