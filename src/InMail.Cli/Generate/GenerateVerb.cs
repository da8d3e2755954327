using System.CommandLine;
using System.Globalization;
using InMail.Domain.Catalog;
using InMail.Storage;

namespace InMail.Cli.Generate;

/// <summary><c>inmail generate</c>: writes a generated history straight into an empty database (decision 008).</summary>
internal static class GenerateVerb
{
    public static Command Build()
    {
        var sqlite = new Option<string?>("--sqlite") { Description = "The SQLite file to create (it must not exist, or hold no commands)." };
        var postgres = new Option<string?>("--postgres") { Description = "An Npgsql connection string of an empty PostgreSQL database." };
        var members = new Option<int>("--members") { Description = "Members (u1…uN).", DefaultValueFactory = _ => 1_000_000 };
        var messages = new Option<long>("--messages") { Description = "Messages to aim for (sends and responses); the result is within a few per cent.", DefaultValueFactory = _ => 10_000_000 };
        var years = new Option<double>("--years") { Description = "Years of history, ending at --end.", DefaultValueFactory = _ => 2 };
        var seed = new Option<int>("--seed") { Description = "The same seed, sizes and --end give the same database.", DefaultValueFactory = _ => 1 };
        var cohort = new Option<int>("--cohort-size") { Description = "Members per cohort; messages stay inside a cohort.", DefaultValueFactory = _ => 10_000 };
        var end = new Option<string?>("--end") { Description = "The instant the history ends (ISO 8601; default: today's midnight, UTC)." };
        var password = new Option<string?>("--password") { Description = "Let every member sign in with this password (one shared hash; for benchmarks and trials only)." };
        var generate = new Command("generate", "Write a realistic history (members, plans, teams, groups, InMails, responses, refunds, free messages, purchases) "
            + "into an empty database, through the engine's rules. Exit 0: written; 2: bad arguments.")
        {
            sqlite, postgres, members, messages, years, seed, cohort, end, password,
        };
        generate.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(sqlite);
            var connection = parse.GetValue(postgres);
            if ((file is null) == (connection is null))
            {
                await error.WriteLineAsync("generate needs exactly one of --sqlite PATH or --postgres CONNSTRING").ConfigureAwait(false);
                return 2;
            }
            var settings = new GenerateSettings
            {
                Members = parse.GetValue(members),
                Messages = parse.GetValue(messages),
                Years = parse.GetValue(years),
                Seed = parse.GetValue(seed),
                CohortSize = parse.GetValue(cohort),
                PasswordHash = parse.GetValue(password) is { } pw ? new Microsoft.AspNetCore.Identity.PasswordHasher<string>().HashPassword("", pw) : null,
            };
            if (parse.GetValue(end) is { } endText)
            {
                if (!DateTimeOffset.TryParse(endText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var endAt))
                {
                    await error.WriteLineAsync($"--end is an ISO 8601 instant, not '{endText}'").ConfigureAwait(false);
                    return 2;
                }
                settings = settings with { End = new DateTimeOffset(endAt.UtcTicks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero) };
            }
            if (settings.Members < 2 || settings.Messages < 0 || settings.Years <= 0 || settings.Years > 20 || settings.CohortSize < 2)
            {
                await error.WriteLineAsync("--members ≥ 2, --messages ≥ 0, 0 < --years ≤ 20 and --cohort-size ≥ 2").ConfigureAwait(false);
                return 2;
            }
            var store = connection is not null ? new StoreOptions { PostgresConnectionString = connection } : new StoreOptions { SqlitePath = file! };
            await output.WriteLineAsync(FormattableString.Invariant(
                $"generating {settings.Members:N0} members, about {settings.Messages:N0} messages, {settings.Start:yyyy-MM-dd} to {settings.End:yyyy-MM-dd}, seed {settings.Seed}, {settings.CohortCount} cohorts of {settings.CohortSize:N0}"))
                .ConfigureAwait(false);
            var summary = await HistoryGenerator.RunAsync(settings, store, PlanCatalog.Default, output, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync(FormattableString.Invariant(
                $"done: {summary.Members:N0} members, {summary.Messages:N0} messages, {summary.Commands:N0} commands, {summary.Rows:N0} rows in {summary.Elapsed.TotalSeconds:F1} s ({summary.Messages / Math.Max(0.001, summary.Elapsed.TotalSeconds):N0} messages/s)"))
                .ConfigureAwait(false);
            return 0;
        });
        return generate;
    }
}
