using System.Globalization;
using CsvHelper;
using InMail.Domain.Time;
using InMail.Storage;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>
/// CSV exports (issue 12): a member's sent InMails and ledger, and for an operator the whole ledger
/// of a period. Rows stream from the tables to the client (decision 011): nothing is held whole.
/// </summary>
public static class ExportEndpoints
{
    private static readonly CsvWriterOptions Csv = new()
    {
        // A cell a spreadsheet would run as a formula (=, @, +, - …) is written as text.
        Injection = CsvInjection.Escape,
    };

    /// <summary>Maps the member exports into <paramref name="api"/> and the operator's into <paramref name="ops"/>.</summary>
    public static void MapExportsApi(this RouteGroupBuilder api, RouteGroupBuilder ops)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(ops);
        api.MapGet("/members/{id}/exports/inmails.csv", (HttpContext context, Runner run, string id, string? from, string? to) =>
            Endpoints.Self(context, id, "exports") ?? Export(context, from, to, $"inmails-{context.Who().Member}.csv", CommandStore.SentInMailColumns,
                (a, b, ct) => run.Store.SentInMailsAsync(context.Who().Member, a, b, ct)))
            .DocCsv("Your sent InMails as CSV, oldest first: path, cost, opened, response, outcome and refund (?from= and ?to= bound the sending instant)");

        api.MapGet("/members/{id}/exports/ledger.csv", (HttpContext context, Runner run, string id, string? from, string? to) =>
            Endpoints.Self(context, id, "exports") ?? Export(context, from, to, $"ledger-{context.Who().Member}.csv", CommandStore.LedgerColumns,
                (a, b, ct) => run.Store.LedgerRowsAsync(context.Who().Member, a, b, ct)))
            .DocCsv("Your wallet's ledger as CSV, in time order (?from= and ?to= bound it)");

        ops.MapGet("/exports/ledger.csv", (HttpContext context, Runner run, string? from, string? to) =>
            Export(context, from, to, "ledger.csv", CommandStore.LedgerColumns, (a, b, ct) => run.Store.LedgerRowsAsync(null, a, b, ct)))
            .DocCsv("Every wallet's ledger entries of a period as CSV, in time order (operators)");
    }

    private static IResult Export(HttpContext context, string? from, string? to, string file, IReadOnlyList<string> columns,
        Func<DateTimeOffset, DateTimeOffset, CancellationToken, IAsyncEnumerable<object?[]>> rows)
    {
        if (!Endpoints.TryOptionalInstant(from, out var start) || !Endpoints.TryOptionalInstant(to, out var end))
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input",
                "from and to are ISO-8601 instants with an offset, like 2026-03-01T09:00:00Z.");
        }
        var (a, b) = (start ?? DateTimeOffset.UnixEpoch, end ?? new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero));
        if (b < a)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "to comes before from.");
        }
        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{file}\"";
        return Results.Stream(async body =>
        {
            await using var csv = CsvWriter.Create(body, Csv, true);
            foreach (var column in columns)
            {
                csv.WriteField(column);
            }
            await csv.EndRecordAsync(context.RequestAborted);
            await foreach (var row in rows(a, b, context.RequestAborted))
            {
                foreach (var value in row)
                {
                    csv.WriteField(value switch
                    {
                        DateTimeOffset t => UtcCalendar.Format(t),
                        null => "",
                        var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                    });
                }
                await csv.EndRecordAsync(context.RequestAborted);
            }
        }, "text/csv; charset=utf-8");
    }
}
