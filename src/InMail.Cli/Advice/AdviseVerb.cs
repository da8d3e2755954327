using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using InMail.Domain;
using InMail.Domain.Advice;
using InMail.Domain.Catalog;
using InMail.Domain.Time;
using InMail.Storage;

namespace InMail.Cli.Advice;

/// <summary><c>inmail advise</c>: SPEC §12's plan advice for one member of a database, which it only reads.</summary>
internal static class AdviseVerb
{
    /// <summary>Exit code when the advice was printed.</summary>
    public const int Advised = 0;

    /// <summary>Exit code for bad arguments, an empty period or an unknown member (nothing is changed).</summary>
    public const int Refused = 2;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public static Command Build()
    {
        var member = new Option<string>("--member") { Description = "The member to advise (their id).", Required = true };
        var from = new Option<string?>("--from") { Description = "Start of the period, an ISO 8601 instant (default: 365 days before --to)." };
        var to = new Option<string?>("--to") { Description = "End of the period, excluded (default: now)." };
        var sqlite = new Option<string?>("--sqlite") { Description = "The SQLite database file to read." };
        var postgres = new Option<string?>("--postgres") { Description = "An Npgsql connection string of the PostgreSQL database to read." };
        var json = new Option<bool>("--json") { Description = "Print the advice as JSON (the API's numbers) instead of a table." };
        var advise = new Command("advise", "Replay a member's own InMails of a period under every plan and billing period a member can buy, on a scratch "
            + "system, and name the cheapest per reply (SPEC §12). The member's account is not changed. Exit 0: advice printed; 2: bad arguments, "
            + "from ≥ to (invalid-input) or no such member (unknown-member).")
        {
            member, from, to, sqlite, postgres, json,
        };
        advise.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(sqlite);
            var connection = parse.GetValue(postgres);
            if ((file is null) == (connection is null))
            {
                await error.WriteLineAsync("advise needs exactly one of --sqlite PATH or --postgres CONNSTRING").ConfigureAwait(false);
                return Refused;
            }
            if (file is not null && !File.Exists(file))
            {
                await error.WriteLineAsync($"there is no database file '{file}'").ConfigureAwait(false);
                return Refused;
            }
            if (!TryInstant(parse.GetValue(from), out var start) || !TryInstant(parse.GetValue(to), out var end))
            {
                await error.WriteLineAsync("invalid-input: --from and --to are ISO 8601 instants, like 2026-03-01T09:00:00Z").ConfigureAwait(false);
                return Refused;
            }
            var options = connection is not null ? new StoreOptions { PostgresConnectionString = connection } : new StoreOptions { SqlitePath = file! };
            await using var store = CommandStore.Open(options, PlanCatalog.Default, TimeProvider.System);
            var advice = await store.AdviseAsync(parse.GetValue(member)!, start, end, cancellationToken).ConfigureAwait(false);
            if (!advice.IsSuccess)
            {
                await error.WriteLineAsync(advice.Refusal!.ToString()).ConfigureAwait(false);
                return Refused;
            }
            await output.WriteAsync(parse.GetValue(json) ? JsonSerializer.Serialize(advice.Value, Json) + Environment.NewLine : Table(advice.Value)).ConfigureAwait(false);
            return Advised;
        });
        return advise;
    }

    private static bool TryInstant(string? text, out DateTimeOffset? at)
    {
        at = null;
        if (text is null)
        {
            return true;
        }
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }
        at = parsed;
        return true;
    }

    /// <summary>One line per plan, then the cheapest and why.</summary>
    internal static string Table(PlanAdvice advice)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"{advice.InMails:N0} InMails sent from {UtcCalendar.Format(advice.From)} to {UtcCalendar.Format(advice.To)}, {advice.Responded:N0} answered");
        w.WriteLine($"{"plan",-42} {"price",12} {"packs",6} {"sent",7} {"refused",8} {"expired",8} {"replies",8} {"per reply",10}  refusals");
        foreach (var p in advice.Plans)
        {
            var refusals = string.Join(", ", p.RefusedByCode.Select(r => $"{r.Key} {r.Value:N0}"));
            var perReply = p.CostPerReplyCents is { } c ? Money.Format(c) : "—";
            var mark = p == advice.Cheapest ? "* " : "  ";
            w.WriteLine($"{mark + PlanAdvisor.Label(p),-42} {Money.Format(p.PriceCents),12} {p.PacksBought,6:N0} {p.Sent,7:N0} {p.Refused,8:N0} {p.CreditsExpired,8:N0} {p.Replies,8:N0} {perReply,10}  {refusals}");
        }
        w.WriteLine(advice.Reason);
        return w.ToString();
    }
}
