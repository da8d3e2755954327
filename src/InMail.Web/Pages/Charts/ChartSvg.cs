using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using InMail.Domain.Messaging;
using InMail.Domain.Outreach;
using Microsoft.AspNetCore.Html;

namespace InMail.Web.Pages.Charts;

/// <summary>
/// The Results charts drawn as SVG on the server (decision 014): no script, no front-end build, crisp in print and at
/// any width (a viewBox scales them). Each is <c>role="img"</c> with a title and a description, and every mark carries
/// its own <c>&lt;title&gt;</c>; the table beside it has every number. Colours are Okabe–Ito's, safe for colour-blind
/// readers, and each series differs in shape too (dashes, position), so a grey print still reads. The pages' policy
/// forbids inline styles: everything here is a presentation attribute.
/// </summary>
public static class ChartSvg
{
    public const string Blue = "#0072B2";
    public const string Orange = "#E69F00";
    public const string Green = "#009E73";
    public const string Vermillion = "#D55E00";
    private const string Ink = "#1d2226";
    private const string Muted = "#5e6b74";
    private const string Grid = "#d6dde3";

    // ColorBrewer's Blues, light to dark: one hue, so its order reads without telling colours apart.
    private static readonly string[] Ramp = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"];

    private const int Top = 28;
    private const int Left = 48;
    private const int Right = 16;
    private const int PlotHeight = 180;

    /// <summary>Reply and positive rate per week: two lines (positive dashed), the number sent under each point.</summary>
    public static HtmlString Weekly(string id, IReadOnlyList<WeekPoint> weeks)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var n = Math.Max(1, weeks.Count);
        var slot = Math.Clamp(560.0 / n, 30, 90);
        var width = Left + (slot * n) + Right;
        var height = Top + PlotHeight + 44;
        var max = CeilingRate(weeks.SelectMany(w => new[] { w.ReplyRate ?? 0, w.PositiveRate ?? 0 }).DefaultIfEmpty(0).Max());
        var svg = Open(id, width, height, "Reply and positive rate by week",
            weeks.Count == 0 ? "No InMail sent in this period."
                : $"Reply rate (solid line) and positive rate (dashed line) of the InMails sent each week from {weeks[0].Name} to {weeks[^1].Name}, with the number sent under each week. The table below has every number.");
        RateAxis(svg, width, max);
        Legend(svg, width, [("Reply rate", Blue, false), ("Positive rate", Orange, true)]);
        double X(int i) => Left + (slot * (i + 0.5));
        foreach (var (rate, colour, dashed) in new (Func<WeekPoint, double?>, string, bool)[] { (w => w.ReplyRate, Blue, false), (w => w.PositiveRate, Orange, true) })
        {
            var path = new StringBuilder();
            var pen = 'M';
            for (var i = 0; i < weeks.Count; i++)
            {
                if (rate(weeks[i]) is { } r)
                {
                    path.Append(CultureInfo.InvariantCulture, $"{pen}{X(i):0.#} {Y(r, max):0.#} ");
                    pen = 'L';
                }
                else
                {
                    pen = 'M'; // a week with nothing sent breaks the line: there is no rate to draw
                }
            }
            if (path.Length > 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<path d=\"{path.ToString().TrimEnd()}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>");
            }
        }
        var labelEvery = (int)Math.Ceiling(40 / slot);
        for (var i = 0; i < weeks.Count; i++)
        {
            var w = weeks[i];
            var tip = $"{w.Name} (from {w.Start:yyyy-MM-dd}): {w.Delivered} sent, {w.Responded} replied ({ResultsModel.Percent(w.ReplyRate)}), {w.Positive} positive ({ResultsModel.Percent(w.PositiveRate)})";
            if (w.ReplyRate is { } r)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(r, max):0.#}\" r=\"3.5\" fill=\"{Blue}\"><title>{E(tip)}</title></circle>");
            }
            if (w.PositiveRate is { } p)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{X(i) - 3:0.#}\" y=\"{Y(p, max) - 3:0.#}\" width=\"6\" height=\"6\" fill=\"{Orange}\"><title>{E(tip)}</title></rect>");
            }
            TextAt(svg, X(i), Top + PlotHeight + 14, w.Delivered.ToString(CultureInfo.InvariantCulture), 11, Ink);
            if (i % labelEvery == 0)
            {
                TextAt(svg, X(i), Top + PlotHeight + 28, $"W{w.Week:D2}", 11, Muted);
            }
        }
        TextAt(svg, Left - 6, Top + PlotHeight + 14, "sent", 11, Muted, "end");
        TextAt(svg, Left - 6, Top + PlotHeight + 28, "week", 11, Muted, "end");
        return Close(svg);
    }

    /// <summary>
    /// A 7 × 24 heat map of the reply rate by the weekday and hour of the send in the recipient's time; hours with
    /// nothing sent stay white; the seed's best windows are drawn with a heavy border.
    /// </summary>
    public static HtmlString SendTimes(string id, IReadOnlyList<SendTimeCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        const int cell = 24;
        const int left = 44;
        const int top = 22;
        var width = left + (24 * cell) + 8;
        var height = top + (7 * cell) + 44;
        var max = CeilingRate(cells.Select(c => c.ReplyRate ?? 0).DefaultIfEmpty(0).Max());
        var svg = Open(id, width, height, "Replies by weekday and hour of the send, in the recipient's time",
            "A grid of seven weekdays by 24 hours in the recipient's local time; the darker a square, the larger the share of the InMails sent then that got a reply. White squares: nothing sent. Heavy borders: the seed's best windows, Tuesday to Thursday 7–8 and 17–18. The table below has every number.");
        for (var h = 0; h < 24; h += 3)
        {
            TextAt(svg, left + (h * cell) + (cell / 2.0), top - 8, h.ToString("00", CultureInfo.InvariantCulture), 11, Muted);
        }
        foreach (var c in cells)
        {
            var row = ((int)c.Day + 6) % 7;
            var x = left + (c.Hour * cell);
            var y = top + (row * cell);
            if (c.Hour == 0)
            {
                TextAt(svg, left - 6, y + 16, c.Day.ToString()[..3], 11, Ink, "end");
            }
            var fill = c.ReplyRate is { } r ? Ramp[Math.Min(Ramp.Length - 1, (int)(r / max * Ramp.Length))] : "#ffffff";
            var tip = $"{c.Day} {c.Hour:00}:00–{c.Hour + 1:00}:00: {c.Delivered} sent, {c.Responded} replied ({ResultsModel.Percent(c.ReplyRate)}){(c.SeedWindow ? ", a seed's best window" : "")}";
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{fill}\" stroke=\"{Grid}\"><title>{E(tip)}</title></rect>");
        }
        foreach (var c in cells.Where(c => c.SeedWindow))
        {
            var row = ((int)c.Day + 6) % 7;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + (c.Hour * cell) + 1}\" y=\"{top + (row * cell) + 1}\" width=\"{cell - 2}\" height=\"{cell - 2}\" fill=\"none\" stroke=\"{Ink}\" stroke-width=\"2.5\"/>");
        }
        var legendY = top + (7 * cell) + 16;
        TextAt(svg, left, legendY + 10, "reply rate:", 11, Muted, "start");
        for (var i = 0; i < Ramp.Length; i++)
        {
            var x = left + 64 + (i * 56);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{legendY}\" width=\"14\" height=\"14\" fill=\"{Ramp[i]}\" stroke=\"{Grid}\"/>");
            TextAt(svg, x + 18, legendY + 11, $"{ResultsModel.Percent(max * i / Ramp.Length)}+", 11, Ink, "start");
        }
        var seedX = left + 64 + (Ramp.Length * 56) + 8;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{seedX}\" y=\"{legendY}\" width=\"14\" height=\"14\" fill=\"none\" stroke=\"{Ink}\" stroke-width=\"2.5\"/>");
        TextAt(svg, seedX + 20, legendY + 11, "seed's best window", 11, Ink, "start");
        return Close(svg);
    }

    /// <summary>Reply and positive rate per 100 characters of body, side by side, with the seed's 400 marked and the number sent under each.</summary>
    public static HtmlString BodyLengths(string id, IReadOnlyList<LengthBucket> buckets)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        var n = Math.Max(1, buckets.Count);
        var slot = Math.Clamp(560.0 / n, 30, 90);
        var width = Left + (slot * n) + Right;
        var height = Top + PlotHeight + 58;
        var max = CeilingRate(buckets.SelectMany(b => new[] { b.ReplyRate ?? 0, b.PositiveRate ?? 0 }).DefaultIfEmpty(0).Max());
        var svg = Open(id, width, height, "Reply and positive rate by body length",
            $"Bars of the reply rate (blue, left) and positive rate (orange, right) of the InMails whose body had 0–99, 100–199 … characters, with the number sent under each; a dashed line marks the seed's {OutreachMeasures.ShortBodyLimit} characters, under which InMails do better. The table below has every number.");
        RateAxis(svg, width, max);
        Legend(svg, width, [("Reply rate", Blue, false), ("Positive rate", Orange, false)]);
        var bar = Math.Min(18, (slot - 6) / 2);
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var x = Left + (slot * i) + (slot / 2);
            var tip = $"{b.From}–{b.To - 1} characters: {b.Delivered} sent, {b.Responded} replied ({ResultsModel.Percent(b.ReplyRate)}), {b.Positive} positive ({ResultsModel.Percent(b.PositiveRate)})";
            Bar(svg, x - bar, bar, b.ReplyRate ?? 0, max, Blue, tip);
            Bar(svg, x, bar, b.PositiveRate ?? 0, max, Orange, tip);
            TextAt(svg, x, Top + PlotHeight + 14, b.Delivered.ToString(CultureInfo.InvariantCulture), 11, Ink);
            TextAt(svg, x, Top + PlotHeight + 28, b.From.ToString(CultureInfo.InvariantCulture), 11, Muted);
        }
        TextAt(svg, Left - 6, Top + PlotHeight + 14, "sent", 11, Muted, "end");
        TextAt(svg, Left - 6, Top + PlotHeight + 28, "chars", 11, Muted, "end");
        var seedX = Left + (slot * OutreachMeasures.ShortBodyLimit / OutreachCharts.LengthBucketWidth);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{seedX:0.#}\" x2=\"{seedX:0.#}\" y1=\"{Top - 4}\" y2=\"{Top + PlotHeight + 32}\" stroke=\"{Ink}\" stroke-dasharray=\"4 3\"/>");
        TextAt(svg, seedX + 4, Top + PlotHeight + 48, $"seed: under {OutreachMeasures.ShortBodyLimit} does better", 11, Ink, "start");
        return Close(svg);
    }

    /// <summary>How many replies came within each span of time, the ones after the refund window set apart.</summary>
    public static HtmlString ReplyTimes(string id, IReadOnlyList<ReplyTimeBucket> buckets, ReplyTimes summary)
    {
        ArgumentNullException.ThrowIfNull(buckets);
        ArgumentNullException.ThrowIfNull(summary);
        var n = Math.Max(1, buckets.Count);
        var slot = 560.0 / n;
        var width = Left + (slot * n) + Right;
        var height = Top + PlotHeight + 44;
        var max = NiceMax(buckets.Select(b => b.Count).DefaultIfEmpty(0).Max());
        var svg = Open(id, width, height, "Time to first reply",
            $"Bars of how many replies came within each span after the send: {string.Join(", ", buckets.Select(b => $"{b.Label} {b.Count}"))}. Median {ResultsModel.Duration(summary.Median)}, 90% within {ResultsModel.Duration(summary.Percentile90)}.");
        CountAxis(svg, width, max);
        for (var i = 0; i < buckets.Count; i++)
        {
            var b = buckets[i];
            var x = Left + (slot * i) + (slot / 2);
            var late = b.To is null;
            var h = (double)b.Count / max * PlotHeight;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x - (slot * 0.3):0.#}\" y=\"{Top + PlotHeight - h:0.#}\" width=\"{slot * 0.6:0.#}\" height=\"{h:0.#}\" fill=\"{(late ? Vermillion : Blue)}\"{(late ? " stroke=\"#1d2226\" stroke-dasharray=\"3 2\"" : "")}><title>{E($"{b.Label}: {b.Count} replies ({ResultsModel.Percent(b.Share)})")}</title></rect>");
            TextAt(svg, x, Top + PlotHeight - h - 4, b.Count.ToString(CultureInfo.InvariantCulture), 11, Ink);
            // Two short lines, so eight labels fit side by side: "3 days –" over "7 days".
            var (line1, line2) = late ? (b.Label.Replace(" (no refund)", "", StringComparison.Ordinal), "(no refund)")
                : b.Label.Split(" – ") is [var from, var to] ? ($"{from} –", to)
                : b.Label.Split(' ', 2) is [var word, var rest] ? (word, rest) : (b.Label, "");
            TextAt(svg, x, Top + PlotHeight + 14, line1, 11, Muted);
            TextAt(svg, x, Top + PlotHeight + 28, line2, 11, Muted);
        }
        return Close(svg);
    }

    /// <summary>Delivered → opened → replied → positive → meeting as bars shrinking from the full width, each with its count and share.</summary>
    public static HtmlString Funnel(string id, IReadOnlyList<FunnelStage> stages)
    {
        ArgumentNullException.ThrowIfNull(stages);
        const int row = 34;
        const int left = 84;
        const int barWidth = 400;
        var width = left + barWidth + 120;
        var height = 8 + (stages.Count * row);
        var delivered = Math.Max(1, stages.Count > 0 ? stages[0].Count : 0);
        var svg = Open(id, width, height, "From delivered to a meeting",
            $"The funnel: {string.Join(", ", stages.Select(s => $"{s.Stage} {s.Count} ({ResultsModel.Percent(s.Share)})"))}.");
        for (var i = 0; i < stages.Count; i++)
        {
            var s = stages[i];
            var y = 8 + (i * row);
            var w = (double)s.Count / delivered * barWidth;
            TextAt(svg, left - 8, y + 17, char.ToUpperInvariant(s.Stage[0]) + s.Stage[1..], 12, Ink, "end");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{barWidth}\" height=\"{row - 10}\" fill=\"#f3f2ef\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{y}\" width=\"{w:0.#}\" height=\"{row - 10}\" fill=\"{Blue}\"><title>{E($"{s.Stage}: {s.Count} ({ResultsModel.Percent(s.Share)} of delivered)")}</title></rect>");
            TextAt(svg, left + barWidth + 8, y + 17, $"{s.Count} ({ResultsModel.Percent(s.Share)})", 12, Ink, "start");
        }
        return Close(svg);
    }

    /// <summary>Credits spent, refunded and expired each month, three bars side by side.</summary>
    public static HtmlString Credits(string id, IReadOnlyList<CreditMonth> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        var n = Math.Max(1, months.Count);
        var slot = Math.Clamp(560.0 / n, 30, 110);
        var width = Left + (slot * n) + Right;
        var height = Top + PlotHeight + 30;
        var max = NiceMax(months.SelectMany(m => new[] { m.Spent, m.Refunded, m.Expired }).DefaultIfEmpty(0).Max());
        var svg = Open(id, width, height, "Credits spent, refunded and expired per month",
            months.Count == 0 ? "No credits spent, refunded or expired in this period."
                : $"Three bars a month from {months[0].Name} to {months[^1].Name}: credits spent on InMails (blue), refunded by a response (green) and expired unspent (vermillion). The table below has every number.");
        CountAxis(svg, width, max);
        Legend(svg, width, [("Spent", Blue, false), ("Refunded", Green, false), ("Expired", Vermillion, false)]);
        var bar = Math.Min(16, (slot - 6) / 3);
        var labelEvery = (int)Math.Ceiling(50 / slot);
        for (var i = 0; i < months.Count; i++)
        {
            var m = months[i];
            var x = Left + (slot * i) + (slot / 2);
            var tip = $"{m.Name}: {m.Spent} spent, {m.Refunded} refunded, {m.Expired} expired";
            CountBar(svg, x - (1.5 * bar), bar, m.Spent, max, Blue, tip);
            CountBar(svg, x - (0.5 * bar), bar, m.Refunded, max, Green, tip);
            CountBar(svg, x + (0.5 * bar), bar, m.Expired, max, Vermillion, tip);
            if (i % labelEvery == 0)
            {
                TextAt(svg, x, Top + PlotHeight + 14, m.Name, 11, Muted);
            }
        }
        return Close(svg);
    }

    /// <summary>How wide a chart asks to be drawn on a narrow screen: past about 20 marks it scrolls sideways rather than shrink its text away.</summary>
    public static string WidthClass(int marks) => marks switch
    {
        <= 20 => "chart",
        <= 52 => "chart chart-wide",
        _ => "chart chart-wider",
    };

    private static StringBuilder Open(string id, double width, double height, string title, string description)
    {
        var svg = new StringBuilder(8192);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:0.#} {height:0.#}\" role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" font-family=\"system-ui, sans-serif\" data-chart=\"{id}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{E(title)}</title><desc id=\"{id}-desc\">{E(description)}</desc>");
        return svg;
    }

    private static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    /// <summary>A round top for a rate axis: the next 20% at or above the largest rate, so its four steps are whole 5%s.</summary>
    private static double CeilingRate(double max) => Math.Max(0.2, Math.Min(1, Math.Ceiling((max * 5) - 1e-9) / 5));

    /// <summary>A count axis's top that four steps divide into whole numbers.</summary>
    private static int NiceMax(int max) => max <= 4 ? Math.Max(1, max) : (max + 3) / 4 * 4;

    private static double Y(double rate, double max) => Top + PlotHeight - (rate / max * PlotHeight);

    private static void RateAxis(StringBuilder svg, double width, double max)
    {
        for (var i = 0; i <= 4; i++)
        {
            var r = max * i / 4;
            var y = Y(r, max);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{width - Right:0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{Grid}\"/>");
            TextAt(svg, Left - 6, y + 4, ResultsModel.Percent(r), 11, Muted, "end");
        }
    }

    private static void CountAxis(StringBuilder svg, double width, int max)
    {
        var steps = Math.Min(4, max);
        for (var i = 0; i <= steps; i++)
        {
            var value = (int)Math.Round((double)max * i / steps);
            var y = Top + PlotHeight - ((double)value / max * PlotHeight);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{width - Right:0.#}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"{Grid}\"/>");
            TextAt(svg, Left - 6, y + 4, value.ToString(CultureInfo.InvariantCulture), 11, Muted, "end");
        }
    }

    private static void Legend(StringBuilder svg, double width, (string Label, string Colour, bool Dashed)[] entries)
    {
        var x = width - Right - (entries.Length * 96);
        foreach (var (label, colour, dashed) in entries)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.#}\" x2=\"{x + 18:0.#}\" y1=\"10\" y2=\"10\" stroke=\"{colour}\" stroke-width=\"{(dashed ? 2 : 6)}\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")}/>");
            TextAt(svg, x + 22, 14, label, 11, Ink, "start");
            x += 96;
        }
    }

    private static void Bar(StringBuilder svg, double x, double width, double rate, double max, string colour, string tip)
    {
        var h = rate / max * PlotHeight;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{Top + PlotHeight - h:0.#}\" width=\"{width:0.#}\" height=\"{h:0.#}\" fill=\"{colour}\"><title>{E(tip)}</title></rect>");
    }

    private static void CountBar(StringBuilder svg, double x, double width, int count, int max, string colour, string tip)
    {
        var h = (double)count / max * PlotHeight;
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{Top + PlotHeight - h:0.#}\" width=\"{width:0.#}\" height=\"{h:0.#}\" fill=\"{colour}\"><title>{E(tip)}</title></rect>");
    }

    private static void TextAt(StringBuilder svg, double x, double y, string text, double size, string colour, string anchor = "middle") =>
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x:0.#}\" y=\"{y:0.#}\" font-size=\"{size}\" fill=\"{colour}\" text-anchor=\"{anchor}\">{E(text)}</text>");

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
