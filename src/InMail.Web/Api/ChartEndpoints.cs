using System.Globalization;
using CsvHelper;
using InMail.Web.Pages.Charts;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>
/// The data of each Results chart as CSV (issue 13, decision 014): the rows of the table behind the chart, read from
/// the tables like the page, for the member, <c>me</c>, or the operator.
/// </summary>
public static class ChartEndpoints
{
    private static readonly CsvWriterOptions Csv = new() { Injection = CsvInjection.Escape };

    /// <summary>Maps <c>GET /members/{id}/outreach/charts/{chart}.csv</c> into <paramref name="api"/>.</summary>
    public static void MapOutreachChartsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/outreach/charts/{chart}.csv", async Task<IResult> (HttpContext context, Runner run, string id, string chart, string? from, string? to) =>
        {
            if (Endpoints.SelfOrOperator(context, id, "outreach") is { } refused)
            {
                return refused;
            }
            if (!ChartTables.Ids.Contains(chart, StringComparer.Ordinal))
            {
                return Problems.Of(StatusCodes.Status404NotFound, "unknown-chart", $"There is no chart '{chart}'; the charts are {string.Join(", ", ChartTables.Ids)}.");
            }
            if (!Endpoints.TryOptionalInstant(from, out var start) || !Endpoints.TryOptionalInstant(to, out var end))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "from and to are ISO-8601 instants with an offset, like 2026-03-01T09:00:00Z.");
            }
            var member = Runner.Resolve(id, context.Who());
            var history = await run.Store.OutreachAsync(member, start, end, context.RequestAborted);
            if (!history.IsSuccess)
            {
                return Problems.Refused(history.Refusal);
            }
            var table = ChartTables.Of(chart, history.Value.Charts)!;
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{chart}-{member}.csv\"";
            return Results.Stream(async body =>
            {
                await using var csv = CsvWriter.Create(body, Csv, true);
                foreach (var column in table.Columns)
                {
                    csv.WriteField(column.Name);
                }
                await csv.EndRecordAsync(context.RequestAborted);
                foreach (var row in table.Rows)
                {
                    foreach (var value in row)
                    {
                        csv.WriteField(value switch
                        {
                            null => "",
                            double rate => rate.ToString("0.######", CultureInfo.InvariantCulture),
                            var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                        });
                    }
                    await csv.EndRecordAsync(context.RequestAborted);
                }
            }, "text/csv; charset=utf-8");
        }).DocCsv("One Results chart's data as CSV (weekly, send-times, body-length, reply-times, funnel, credits) over the InMails sent with from ≤ sent < to");
    }
}
