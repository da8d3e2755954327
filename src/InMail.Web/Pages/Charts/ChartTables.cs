using InMail.Domain.Outreach;

namespace InMail.Web.Pages.Charts;

/// <summary>What a column holds, so the page and the CSV each write it their way (a percentage, a fraction).</summary>
public enum ChartColumnKind
{
    Text,
    Count,
    Rate,
}

/// <summary>A column of a chart's data: its CSV name and its heading on the page.</summary>
/// <param name="Name">Its CSV header.</param>
/// <param name="Heading">Its heading on the page.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="OnPage">False for a column only the CSV carries (exact seconds, where the page has the bucket's name).</param>
public sealed record ChartColumn(string Name, string Heading, ChartColumnKind Kind, bool OnPage = true);

/// <summary>The data behind one chart, the same rows for its table on the page and its CSV export.</summary>
/// <param name="Id">The chart's id in URLs: <c>/outreach/charts/{id}.csv</c>.</param>
/// <param name="Title">What the chart shows.</param>
/// <param name="Columns">Its columns.</param>
/// <param name="Rows">One array of values per row, in column order; a null is an empty cell (a rate of nothing).</param>
public sealed record ChartTable(string Id, string Title, IReadOnlyList<ChartColumn> Columns, IReadOnlyList<object?[]> Rows);

/// <summary>The Results charts' data as tables (decision 014): one definition of each chart's columns for the page and the CSV.</summary>
public static class ChartTables
{
    public const string Weekly = "weekly";
    public const string SendTimes = "send-times";
    public const string BodyLength = "body-length";
    public const string ReplyTimes = "reply-times";
    public const string Funnel = "funnel";
    public const string Credits = "credits";

    /// <summary>Every chart's id, in the page's order.</summary>
    public static readonly IReadOnlyList<string> Ids = [Weekly, SendTimes, BodyLength, ReplyTimes, Funnel, Credits];

    private static ChartColumn Text(string name, string heading) => new(name, heading, ChartColumnKind.Text);
    private static ChartColumn Count(string name, string heading) => new(name, heading, ChartColumnKind.Count);
    private static ChartColumn Rate(string name, string heading) => new(name, heading, ChartColumnKind.Rate);

    /// <summary>The table of chart <paramref name="id"/>, or null for an id that names no chart.</summary>
    public static ChartTable? Of(string id, OutreachCharts charts)
    {
        ArgumentNullException.ThrowIfNull(charts);
        return id switch
        {
            Weekly => new(id, "Reply and positive rate by week",
                [Text("week", "Week (ISO, UTC)"), Text("week_start", "Starts"), Count("delivered", "Sent"), Count("replied", "Replied"),
                 Count("positive", "Positive"), Rate("reply_rate", "Reply rate"), Rate("positive_rate", "Positive rate")],
                [.. charts.Weekly.Select(w => new object?[] { w.Name, w.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    w.Delivered, w.Responded, w.Positive, w.ReplyRate, w.PositiveRate })]),
            SendTimes => new(id, "Replies by weekday and hour of the send, recipient's time",
                [Text("weekday", "Weekday"), Count("hour", "Hour"), Count("delivered", "Sent"), Count("replied", "Replied"), Rate("reply_rate", "Reply rate"),
                 Text("seed_window", "Seed's best window")],
                [.. charts.SendTimes.Select(c => new object?[] { c.Day.ToString(), c.Hour, c.Delivered, c.Responded, c.ReplyRate, c.SeedWindow ? "yes" : "no" })]),
            BodyLength => new(id, "Reply and positive rate by body length",
                [Count("from_chars", "From (characters)"), Count("to_chars", "Under"), Count("delivered", "Sent"), Count("replied", "Replied"),
                 Count("positive", "Positive"), Rate("reply_rate", "Reply rate"), Rate("positive_rate", "Positive rate")],
                [.. charts.BodyLengths.Select(b => new object?[] { b.From, b.To, b.Delivered, b.Responded, b.Positive, b.ReplyRate, b.PositiveRate })]),
            ReplyTimes => new(id, "Time to first reply",
                [Text("bucket", "Time to first reply"), Count("from_seconds", "From (seconds)") with { OnPage = false }, Count("to_seconds", "To (seconds)") with { OnPage = false }, Count("replies", "Replies"),
                 Rate("share", "Share of replies")],
                [.. charts.ReplyTimes.Select(b => new object?[] { b.Label, (long)b.From.TotalSeconds, b.To is { } to ? (long)to.TotalSeconds : null, b.Count, b.Share })]),
            Funnel => new(id, "From delivered to a meeting",
                [Text("stage", "Stage"), Count("count", "InMails"), Rate("share_of_delivered", "Of delivered")],
                [.. charts.Funnel.Select(s => new object?[] { s.Stage, s.Count, s.Share })]),
            Credits => new(id, "Credits spent, refunded and expired per month",
                [Text("month", "Month (UTC)"), Count("spent", "Spent"), Count("refunded", "Refunded"), Count("expired", "Expired")],
                [.. charts.Credits.Select(m => new object?[] { m.Name, m.Spent, m.Refunded, m.Expired })]),
            _ => null,
        };
    }
}
