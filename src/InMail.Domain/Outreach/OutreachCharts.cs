using System.Globalization;
using InMail.Domain.Messaging;

namespace InMail.Domain.Outreach;

/// <summary>Credits that expired unspent from the member's own wallet at one instant (ledger entries of kind <c>expire</c>).</summary>
/// <param name="At">When they expired.</param>
/// <param name="Credits">How many (more than 0).</param>
public readonly record struct CreditExpiry(DateTimeOffset At, int Credits);

/// <summary>The InMails sent in one ISO week (Monday to Sunday, UTC) and what came of them, whenever it came.</summary>
/// <param name="Year">The ISO week-numbering year.</param>
/// <param name="Week">The ISO week, 1–53.</param>
/// <param name="Start">The week's Monday, 00:00 UTC.</param>
/// <param name="Delivered">InMails sent.</param>
/// <param name="Responded">Of them, answered (any first response, whenever it came).</param>
/// <param name="Positive">Of them, positive (accepted, or marked by the sender).</param>
/// <param name="ReplyRate">Responded ÷ delivered; null with none delivered.</param>
/// <param name="PositiveRate">Positive ÷ delivered; null with none delivered.</param>
public sealed record WeekPoint(int Year, int Week, DateTimeOffset Start, int Delivered, int Responded, int Positive, double? ReplyRate, double? PositiveRate)
{
    /// <summary>The week as ISO 8601 writes it: 2026-W09.</summary>
    public string Name => $"{Year:D4}-W{Week:D2}";
}

/// <summary>The InMails sent in one hour of one weekday of the recipient's local time, and how many were answered.</summary>
/// <param name="Day">The weekday, in the recipient's time zone.</param>
/// <param name="Hour">The hour the send fell in, 0–23, in the recipient's time zone.</param>
/// <param name="SeedWindow">One of the seed's best windows (Tuesday–Thursday, 7–8 or 17–18).</param>
/// <param name="Delivered">InMails sent.</param>
/// <param name="Responded">Of them, answered (any first response, whenever it came).</param>
/// <param name="ReplyRate">Responded ÷ delivered; null with none delivered.</param>
public sealed record SendTimeCell(DayOfWeek Day, int Hour, int Delivered, int Responded, double? ReplyRate, bool SeedWindow);

/// <summary>The InMails whose body has <see cref="From"/> ≤ characters &lt; <see cref="To"/>.</summary>
/// <param name="From">Its lower bound, in characters (included).</param>
/// <param name="To">Its upper bound, in characters (excluded).</param>
/// <param name="Delivered">InMails sent with a body that long.</param>
/// <param name="Responded">Of them, answered.</param>
/// <param name="Positive">Of them, positive (accepted, or marked by the sender).</param>
/// <param name="ReplyRate">Responded ÷ delivered; null with none delivered.</param>
/// <param name="PositiveRate">Positive ÷ delivered; null with none delivered.</param>
public sealed record LengthBucket(int From, int To, int Delivered, int Responded, int Positive, double? ReplyRate, double? PositiveRate)
{
    /// <summary>All of the bucket is under the seed's 400 characters.</summary>
    public bool Short => To <= OutreachMeasures.ShortBodyLimit;
}

/// <summary>
/// Answered InMails whose time to first reply is in the bucket: <see cref="From"/> ≤ t &lt; <see cref="To"/>, except the
/// bucket ending at the refund window, which holds t = window too (a response at exactly 90 days still refunds), and the
/// last, which is open (over the window: a reply, but no refund).
/// </summary>
/// <param name="Share">Of the answered InMails; null with none.</param>
/// <param name="Label">The bucket as the page says it.</param>
/// <param name="From">Its lower bound.</param>
/// <param name="To">Its upper bound; null for the last, open bucket.</param>
/// <param name="Count">How many.</param>
public sealed record ReplyTimeBucket(string Label, TimeSpan From, TimeSpan? To, int Count, double? Share);

/// <summary>One stage of delivered → opened → replied → positive → meeting.</summary>
/// <param name="Share">Of delivered; null with nothing delivered.</param>
/// <param name="Stage">delivered, opened, replied, positive or meeting.</param>
/// <param name="Count">How many.</param>
public sealed record FunnelStage(string Stage, int Count, double? Share);

/// <summary>Credits spent on InMails sent in a calendar month (UTC), refunded in it, and expired unspent in it.</summary>
/// <param name="Year">The year (UTC).</param>
/// <param name="Month">The month, 1–12 (UTC).</param>
/// <param name="Spent">Credits spent on paid InMails sent in the month.</param>
/// <param name="Refunded">Credits that came back in the month, for InMails sent in the period.</param>
/// <param name="Expired">The member's own credits that expired unspent in the month.</param>
public sealed record CreditMonth(int Year, int Month, int Spent, int Refunded, int Expired)
{
    /// <summary>The month as ISO 8601 writes it: 2026-03.</summary>
    public string Name => $"{Year:D4}-{Month:D2}";
}

/// <summary>
/// The series of the Results charts (issue 13, decision 014), computed from the facts of the InMails a member sent
/// with the definitions of SPEC §9 (<see cref="InMailFact"/>, <see cref="OutreachMeasures"/>): the same whether the
/// facts come from memory or from the tables.
/// </summary>
/// <param name="Weekly">Reply and positive rate per ISO week sent.</param>
/// <param name="SendTimes">7 × 24 cells by weekday and hour sent, in the recipient's time zone.</param>
/// <param name="BodyLengths">Buckets of 100 characters of body length.</param>
/// <param name="ReplyTimes">The answered InMails by time to first response.</param>
/// <param name="Funnel">Delivered → opened → replied → positive → meeting.</param>
/// <param name="Credits">Credits spent, refunded and expired per calendar month.</param>
public sealed record OutreachCharts(
    IReadOnlyList<WeekPoint> Weekly,
    IReadOnlyList<SendTimeCell> SendTimes,
    IReadOnlyList<LengthBucket> BodyLengths,
    IReadOnlyList<ReplyTimeBucket> ReplyTimes,
    IReadOnlyList<FunnelStage> Funnel,
    IReadOnlyList<CreditMonth> Credits)
{
    /// <summary>Width of a body-length bucket, in characters.</summary>
    public const int LengthBucketWidth = 100;

    /// <summary>The funnel's stages, in order.</summary>
    public static readonly IReadOnlyList<string> FunnelStages = ["delivered", "opened", "replied", "positive", "meeting"];

    private static readonly (TimeSpan Edge, string Label)[] ReplyEdges =
    [
        (TimeSpan.FromHours(1), "1 h"), (TimeSpan.FromHours(4), "4 h"), (TimeSpan.FromHours(24), "24 h"),
        (TimeSpan.FromDays(3), "3 days"), (TimeSpan.FromDays(7), "7 days"), (TimeSpan.FromDays(30), "30 days"),
    ];

    /// <summary>
    /// The charts of <paramref name="sent"/> (the InMails sent in the period) and <paramref name="expired"/> (the member's
    /// own credits that expired in it). <paramref name="refundWindowDays"/> splits the reply times where refunds stop.
    /// </summary>
    public static OutreachCharts Of(IReadOnlyCollection<InMailFact> sent, IEnumerable<CreditExpiry> expired, int refundWindowDays)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(expired);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(refundWindowDays);
        return new OutreachCharts(WeeklyOf(sent), SendTimesOf(sent), BodyLengthsOf(sent), ReplyTimesOf(sent, TimeSpan.FromDays(refundWindowDays)),
            FunnelOf(sent), CreditsOf(sent, expired));
    }

    /// <summary>The Monday, 00:00 UTC, that starts the ISO week <paramref name="t"/> falls in.</summary>
    public static DateTimeOffset WeekStart(DateTimeOffset t)
    {
        var day = t.UtcDateTime.Date;
        var back = ((int)day.DayOfWeek + 6) % 7; // Monday 0 … Sunday 6
        return new DateTimeOffset(day.AddDays(-back), TimeSpan.Zero);
    }

    /// <summary>Every week from the first send's to the last's, empty weeks included (a gap in the line, 0 under it).</summary>
    public static IReadOnlyList<WeekPoint> WeeklyOf(IReadOnlyCollection<InMailFact> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        if (sent.Count == 0)
        {
            return [];
        }
        var byWeek = new Dictionary<DateTimeOffset, (int Delivered, int Responded, int Positive)>();
        foreach (var f in sent)
        {
            var week = WeekStart(f.SentAt);
            var (d, r, p) = byWeek.GetValueOrDefault(week);
            byWeek[week] = (d + 1, r + (f.Responded ? 1 : 0), p + (f.Positive ? 1 : 0));
        }
        var points = new List<WeekPoint>();
        for (var week = byWeek.Keys.Min(); week <= byWeek.Keys.Max(); week = week.AddDays(7))
        {
            var (d, r, p) = byWeek.GetValueOrDefault(week);
            var date = week.UtcDateTime;
            points.Add(new WeekPoint(ISOWeek.GetYear(date), ISOWeek.GetWeekOfYear(date), week, d, r, p,
                OutreachMeasures.Rate(r, d), OutreachMeasures.Rate(p, d)));
        }
        return points;
    }

    /// <summary>
    /// 7 × 24 cells, Monday 0 h first, by the weekday and hour of the send in the recipient's time zone (UTC when
    /// they have none, or one this machine does not know), with the seed's windows marked.
    /// </summary>
    public static IReadOnlyList<SendTimeCell> SendTimesOf(IEnumerable<InMailFact> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var delivered = new int[7, 24];
        var responded = new int[7, 24];
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        foreach (var f in sent)
        {
            var key = f.RecipientTimeZone ?? "";
            if (!zones.TryGetValue(key, out var zone))
            {
                zone = BestWindow.ZoneOf(f.RecipientTimeZone);
                zones.Add(key, zone);
            }
            var local = TimeZoneInfo.ConvertTime(f.SentAt, zone);
            var day = ((int)local.DayOfWeek + 6) % 7;
            delivered[day, local.Hour]++;
            responded[day, local.Hour] += f.Responded ? 1 : 0;
        }
        var cells = new List<SendTimeCell>(7 * 24);
        for (var day = 0; day < 7; day++)
        {
            var weekday = (DayOfWeek)((day + 1) % 7);
            for (var hour = 0; hour < 24; hour++)
            {
                cells.Add(new SendTimeCell(weekday, hour, delivered[day, hour], responded[day, hour],
                    OutreachMeasures.Rate(responded[day, hour], delivered[day, hour]), BestWindow.Contains(weekday, hour)));
            }
        }
        return cells;
    }

    /// <summary>
    /// Buckets of 100 characters (grapheme clusters, SPEC §5) from 0 up to the longest body's, and at least up to
    /// the one after the seed's 400, so its line has both sides. None without sends.
    /// </summary>
    public static IReadOnlyList<LengthBucket> BodyLengthsOf(IReadOnlyCollection<InMailFact> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        if (sent.Count == 0)
        {
            return [];
        }
        var count = Math.Max(sent.Max(f => f.BodyLength) / LengthBucketWidth, OutreachMeasures.ShortBodyLimit / LengthBucketWidth) + 1;
        var buckets = new (int Delivered, int Responded, int Positive)[count];
        foreach (var f in sent)
        {
            ref var b = ref buckets[f.BodyLength / LengthBucketWidth];
            b = (b.Delivered + 1, b.Responded + (f.Responded ? 1 : 0), b.Positive + (f.Positive ? 1 : 0));
        }
        return buckets.Select((b, i) => new LengthBucket(i * LengthBucketWidth, (i + 1) * LengthBucketWidth, b.Delivered, b.Responded, b.Positive,
            OutreachMeasures.Rate(b.Responded, b.Delivered), OutreachMeasures.Rate(b.Positive, b.Delivered))).ToList();
    }

    /// <summary>
    /// How long the answered InMails waited for their first response: under 1 h, 1–4 h, 4–24 h, 1–3 days, 3–7 days,
    /// 7–30 days, 30 days to the refund window (inclusive), and over it (a reply that refunds nothing).
    /// </summary>
    public static IReadOnlyList<ReplyTimeBucket> ReplyTimesOf(IEnumerable<InMailFact> sent, TimeSpan refundWindow)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var edges = ReplyEdges.Where(e => e.Edge < refundWindow).Append((Edge: refundWindow, Label: $"{refundWindow.TotalDays:0} days")).ToList();
        var counts = new int[edges.Count + 1];
        var answered = 0;
        foreach (var f in sent)
        {
            if (f.TimeToFirstReply is not { } t)
            {
                continue;
            }
            answered++;
            var i = 0;
            while (i < edges.Count - 1 && t >= edges[i].Edge)
            {
                i++;
            }
            counts[t > refundWindow ? edges.Count : i]++;
        }
        var buckets = new List<ReplyTimeBucket>(counts.Length);
        for (var i = 0; i < edges.Count; i++)
        {
            var label = i == 0 ? $"under {edges[0].Label}" : $"{edges[i - 1].Label} – {edges[i].Label}";
            buckets.Add(new ReplyTimeBucket(label, i == 0 ? TimeSpan.Zero : edges[i - 1].Edge, edges[i].Edge, counts[i], OutreachMeasures.Rate(counts[i], answered)));
        }
        buckets.Add(new ReplyTimeBucket($"over {edges[^1].Label} (no refund)", refundWindow, null, counts[^1], OutreachMeasures.Rate(counts[^1], answered)));
        return buckets;
    }

    /// <summary>Delivered → opened → replied → positive → meeting, each a count and a share of delivered (SPEC §9's definitions).</summary>
    public static IReadOnlyList<FunnelStage> FunnelOf(IReadOnlyCollection<InMailFact> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var d = sent.Count;
        int[] counts = [d, sent.Count(f => f.Opened), sent.Count(f => f.Responded), sent.Count(f => f.Positive), sent.Count(f => f.Meeting)];
        return counts.Select((c, i) => new FunnelStage(FunnelStages[i], c, OutreachMeasures.Rate(c, d))).ToList();
    }

    /// <summary>
    /// Every calendar month (UTC, SPEC §1) from the first to the last with credits spent (a paid InMail sent), refunded
    /// (its credit back, in the month of the refund) or expired; none without any.
    /// </summary>
    public static IReadOnlyList<CreditMonth> CreditsOf(IEnumerable<InMailFact> sent, IEnumerable<CreditExpiry> expired)
    {
        ArgumentNullException.ThrowIfNull(sent);
        ArgumentNullException.ThrowIfNull(expired);
        var months = new Dictionary<int, (int Spent, int Refunded, int Expired)>();
        void Add(DateTimeOffset at, int spent, int refunded, int gone)
        {
            var key = Time.UtcCalendar.MonthKey(at);
            var (s, r, e) = months.GetValueOrDefault(key);
            months[key] = (checked(s + spent), checked(r + refunded), checked(e + gone));
        }
        foreach (var f in sent)
        {
            if (f.Charged)
            {
                Add(f.SentAt, 1, 0, 0);
            }
            if (f.Refunded)
            {
                Add(f.RefundedAt!.Value, 0, 1, 0);
            }
        }
        foreach (var e in expired)
        {
            Add(e.At, 0, 0, e.Credits);
        }
        if (months.Count == 0)
        {
            return [];
        }
        var list = new List<CreditMonth>();
        for (var key = months.Keys.Min(); key <= months.Keys.Max(); key++)
        {
            var (s, r, e) = months.GetValueOrDefault(key);
            list.Add(new CreditMonth(key / 12, (key % 12) + 1, s, r, e));
        }
        return list;
    }
}
