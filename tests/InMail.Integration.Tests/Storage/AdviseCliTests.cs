using System.CommandLine;
using System.Text.Json.Nodes;
using InMail.Cli;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Inspection;
using InMail.Domain.Time;
using InMail.Storage;

namespace InMail.Integration.Tests.Storage;

/// <summary><c>inmail advise</c> on a SQLite database: the advice from the member's rows, the refusals' exit code, and the database unchanged.</summary>
public sealed class AdviseCliTests : IDisposable
{
    private static readonly DateTimeOffset Jan1 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("inmail-advise-").FullName;

    private string Database => Path.Combine(_dir, "inmail.db");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>
    /// Alice, on Premium Career from 1 January, sends six InMails on 1–6 January; Bob answers the first the next morning,
    /// which puts its credit back, so January's 5 credits pay for all six: $29.99 for 1 reply on Career, the cheapest.
    /// </summary>
    [Fact]
    public async Task Advise_prints_every_plan_and_the_cheapest_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new SettableClock(Jan1);
        string before;
        long seq;
        await using (var store = CommandStore.Open(new StoreOptions { SqlitePath = Database }, PlanCatalog.Default, clock))
        {
            string[] people = ["bob", "cara", "dev", "eli", "fay", "gus"];
            await Ok(store, new AddMember("alice", "Alice"));
            foreach (var p in people)
            {
                await Ok(store, new AddMember(p, p));
            }
            await Ok(store, new Subscribe("alice", "premium-career", "monthly"));
            for (var day = 0; day < people.Length; day++)
            {
                clock.Set(Jan1.AddDays(day).AddHours(10));
                await Ok(store, new Send("alice", people[day], "A question", "Are you free?", $"m{day + 1}"));
                if (day == 0)
                {
                    clock.Set(Jan1.AddDays(1).AddHours(9));
                    await Ok(store, new Respond("bob", "m1", "reply", "Yes."));
                }
            }
            var pattern = await store.AdvicePatternAsync("alice", Jan1, Jan1.AddMonths(1), ct);
            Assert.Equal(6, pattern.Count);
            Assert.Equal([0, 1, 2, 3, 4, 5], pattern.Select(p => p.Recipient));
            Assert.Equal(Jan1.AddDays(1).AddHours(9), pattern[0].RespondedAt);
            Assert.All(pattern.Skip(1), p => Assert.Null(p.RespondedAt));
            before = await store.ReadWholeAsync((e, now) => StateJson.Write(e, now, includeActivity: true), ct);
            seq = store.LastSeq;
        }

        var (exit, output, error) = await Cli("advise", "--sqlite", Database, "--member", "alice", "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z");
        Assert.True(exit == 0, error);
        Assert.Contains("6 InMails sent from 2026-01-01T00:00:00Z to 2026-02-01T00:00:00Z, 1 answered", output, StringComparison.Ordinal);
        Assert.Contains("* Premium Career, billed monthly", output, StringComparison.Ordinal);
        Assert.Contains("Premium Career, billed monthly costs $29.99 for 1 reply: $29.99 a reply, against $59.99 on Premium Business, billed monthly, the next cheapest.",
            output, StringComparison.Ordinal);

        (exit, output, error) = await Cli("advise", "--sqlite", Database, "--member", "alice", "--from", "2026-01-01T00:00:00Z", "--to", "2026-02-01T00:00:00Z", "--json");
        Assert.True(exit == 0, error);
        var json = JsonNode.Parse(output)!;
        Assert.Equal(9, json["plans"]!.AsArray().Count);
        Assert.Equal(57_588L, json["plans"]![2]!["priceCents"]!.GetValue<long>()); // Premium Business, annual: a year's price at once
        Assert.Equal("premium-career", json["cheapest"]!["plan"]!.GetValue<string>());

        (exit, _, error) = await Cli("advise", "--sqlite", Database, "--member", "nobody", "--to", "2026-02-01T00:00:00Z");
        Assert.Equal((2, true), (exit, error.StartsWith("unknown-member", StringComparison.Ordinal)));
        (exit, _, error) = await Cli("advise", "--sqlite", Database, "--member", "alice", "--from", "2026-02-01T00:00:00Z", "--to", "2026-01-01T00:00:00Z");
        Assert.Equal((2, true), (exit, error.StartsWith("invalid-input", StringComparison.Ordinal)));
        (exit, _, error) = await Cli("advise", "--sqlite", Database, "--member", "alice", "--from", "last week");
        Assert.Equal((2, true), (exit, error.StartsWith("invalid-input", StringComparison.Ordinal)));
        (exit, _, _) = await Cli("advise", "--member", "alice");
        Assert.Equal(2, exit);

        await using var reopened = CommandStore.Open(new StoreOptions { SqlitePath = Database }, PlanCatalog.Default, clock);
        Assert.Equal(seq, reopened.LastSeq);
        Assert.Equal(before, await reopened.ReadWholeAsync((e, now) => StateJson.Write(e, now, includeActivity: true), ct));
    }

    private static async Task Ok(CommandStore store, InMail.Domain.Commands.Command command)
    {
        var outcome = await store.ExecuteAsync(command, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(outcome.IsSuccess, $"{command}: {outcome.Refusal}");
    }

    private static async Task<(int Exit, string Output, string Error)> Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await CliApp.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, TestContext.Current.CancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
