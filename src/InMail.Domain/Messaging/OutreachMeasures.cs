using InMail.Domain.Content;

namespace InMail.Domain.Messaging;

/// <summary>
/// What one credit costs the member, for cost per reply (decision 006): the price of their current
/// paid plan per month divided by its credits per cycle (for a team seat, the team plan's price per
/// seat over its credits per seat), or, with no paid plan, a custom price or a plan without credits,
/// the catalog's pack price of one credit. Kept as a fraction so the cost per reply is rounded once.
/// </summary>
/// <param name="PriceCents">The price of <paramref name="Credits"/> credits, in cents.</param>
/// <param name="Credits">How many credits that price buys (more than 0).</param>
/// <param name="Basis">Where the price comes from: a plan id, or <c>pack</c>.</param>
public sealed record CreditPrice(long PriceCents, int Credits, string Basis)
{
    /// <summary>One credit, in cents, rounded half up.</summary>
    public long PerCreditCents => OutreachMeasures.RoundedQuotient(PriceCents, Credits);
}

/// <summary>Median and 90th percentile of (first response − send) over the InMails that were answered.</summary>
/// <param name="Count">How many answered InMails the times are taken over.</param>
/// <param name="Median">The middle time; for an even count, the mean of the two middle times. Null with no answers.</param>
/// <param name="Percentile90">Nearest rank: the ⌈0.9 × n⌉-th smallest time. Null with no answers.</param>
public sealed record ReplyTimes(int Count, TimeSpan? Median, TimeSpan? Percentile90);

/// <summary>
/// SPEC §9 over a set of InMails (paid and open-profile) one member sent. Rates are fractions of
/// <see cref="Delivered"/> and null when nothing was delivered; cost per reply is null without replies.
/// </summary>
/// <param name="Delivered">InMails sent (not refused).</param>
/// <param name="Opened">Of them, read by the recipient.</param>
/// <param name="Responded">Of them, answered by any first response.</param>
/// <param name="Accepted">Of them, answered with an accept.</param>
/// <param name="Positive">Of them, accepted, or marked positive or meeting booked by the sender.</param>
/// <param name="MeetingsBooked">Of them, marked meeting booked by the sender.</param>
/// <param name="OpenRate">Opened ÷ delivered.</param>
/// <param name="ReplyRate">Responded ÷ delivered.</param>
/// <param name="PositiveRate">Positive ÷ delivered.</param>
/// <param name="MeetingRate">Meetings booked ÷ delivered.</param>
/// <param name="TimeToFirstReply">Median and 90th percentile of the time from send to first response.</param>
/// <param name="CreditsSpent">Credits the paid ones cost.</param>
/// <param name="CreditsRefunded">Of those, credits that came back.</param>
/// <param name="CreditsNet">Spent minus refunded.</param>
/// <param name="CostPerReplyCents">
/// Net credits × what a credit costs the member ÷ replies, in cents rounded half up; null without replies.
/// </param>
public sealed record OutreachMeasures(
    int Delivered,
    int Opened,
    int Responded,
    int Accepted,
    int Positive,
    int MeetingsBooked,
    double? OpenRate,
    double? ReplyRate,
    double? PositiveRate,
    double? MeetingRate,
    ReplyTimes TimeToFirstReply,
    int CreditsSpent,
    int CreditsRefunded,
    int CreditsNet,
    long? CostPerReplyCents)
{
    /// <summary>Bodies shorter than this many characters (grapheme clusters) are "short" (seed: under 400 does better).</summary>
    public const int ShortBodyLimit = 400;

    /// <summary>Measures <paramref name="inmails"/>; messages that are not InMails are ignored.</summary>
    public static OutreachMeasures Of(IEnumerable<Message> inmails, CreditPrice price)
    {
        ArgumentNullException.ThrowIfNull(inmails);
        return Of(inmails.Where(m => m.IsInMail).Select(m => InMailFact.Of(m)), price);
    }

    /// <summary>Measures the InMails whose facts are <paramref name="inmails"/>.</summary>
    public static OutreachMeasures Of(IEnumerable<InMailFact> inmails, CreditPrice price)
    {
        ArgumentNullException.ThrowIfNull(inmails);
        ArgumentNullException.ThrowIfNull(price);
        int delivered = 0, opened = 0, responded = 0, accepted = 0, positive = 0, meetings = 0, spent = 0, refunded = 0;
        var times = new List<TimeSpan>();
        foreach (var f in inmails)
        {
            delivered++;
            opened += f.Opened ? 1 : 0;
            accepted += f.Accepted ? 1 : 0;
            positive += f.Positive ? 1 : 0;
            meetings += f.Meeting ? 1 : 0;
            spent += f.Charged ? 1 : 0;
            refunded += f.Refunded ? 1 : 0;
            if (f.TimeToFirstReply is { } time)
            {
                responded++;
                times.Add(time);
            }
        }
        times.Sort();
        var net = spent - refunded;
        return new OutreachMeasures(
            delivered, opened, responded, accepted, positive, meetings,
            Rate(opened, delivered), Rate(responded, delivered), Rate(positive, delivered), Rate(meetings, delivered),
            new ReplyTimes(times.Count, Median(times), NearestRank(times, 90)),
            spent, refunded, net,
            responded == 0 ? null : RoundedQuotient(checked(net * price.PriceCents), checked((long)price.Credits * responded)));
    }

    /// <summary>True when the InMail's body is shorter than <see cref="ShortBodyLimit"/> characters.</summary>
    public static bool IsShort(Message message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return TextRules.Length(message.Body) < ShortBodyLimit;
    }

    /// <summary>A count ÷ delivered; null when nothing was delivered.</summary>
    public static double? Rate(int count, int delivered) => delivered == 0 ? null : (double)count / delivered;

    /// <summary>The median of sorted times: the middle one, or the mean of the two middle ones.</summary>
    public static TimeSpan? Median(IReadOnlyList<TimeSpan> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var n = sorted.Count;
        if (n == 0)
        {
            return null;
        }
        return n % 2 == 1 ? sorted[n / 2] : TimeSpan.FromTicks((sorted[(n / 2) - 1].Ticks + sorted[n / 2].Ticks) / 2);
    }

    /// <summary>The nearest-rank percentile of sorted times: the ⌈p/100 × n⌉-th smallest (1-based).</summary>
    public static TimeSpan? NearestRank(IReadOnlyList<TimeSpan> sorted, int percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(percent);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percent, 100);
        var n = sorted.Count;
        if (n == 0)
        {
            return null;
        }
        var rank = ((percent * n) + 99) / 100;
        return sorted[rank - 1];
    }

    /// <summary>numerator ÷ denominator rounded half up, for non-negative numbers.</summary>
    internal static long RoundedQuotient(long numerator, long denominator) => ((2 * numerator) + denominator) / (2 * denominator);
}

/// <summary>
/// A member's outreach over the InMails they sent within [<see cref="From"/>, <see cref="To"/>) of send
/// time (either end may be open): all of them, split by path and by body length.
/// </summary>
/// <param name="Member">The member who sent the InMails.</param>
/// <param name="From">The first send instant counted; null for no lower bound.</param>
/// <param name="To">The send instant counted up to (excluded); null for no upper bound.</param>
/// <param name="CreditPrice">What a credit costs the member, for cost per reply.</param>
/// <param name="All">The measures over every InMail.</param>
/// <param name="InMail">Over the paid InMails only.</param>
/// <param name="OpenProfile">Over the open-profile InMails only.</param>
/// <param name="ShortBody">Over the InMails with a body under 400 characters.</param>
/// <param name="LongBody">Over the InMails with a body of 400 characters or more.</param>
public sealed record OutreachReport(
    string Member,
    DateTimeOffset? From,
    DateTimeOffset? To,
    CreditPrice CreditPrice,
    OutreachMeasures All,
    OutreachMeasures InMail,
    OutreachMeasures OpenProfile,
    OutreachMeasures ShortBody,
    OutreachMeasures LongBody)
{
    /// <summary>The report over <paramref name="sent"/>, the facts of the InMails sent in the period: all, by path, by body length.</summary>
    public static OutreachReport Of(string member, DateTimeOffset? from, DateTimeOffset? to, CreditPrice price, IReadOnlyCollection<InMailFact> sent)
    {
        ArgumentNullException.ThrowIfNull(sent);
        return new OutreachReport(
            member, from, to, price,
            OutreachMeasures.Of(sent, price),
            OutreachMeasures.Of(sent.Where(f => f.Path == SendPath.InMail), price),
            OutreachMeasures.Of(sent.Where(f => f.Path == SendPath.OpenProfile), price),
            OutreachMeasures.Of(sent.Where(f => f.IsShort), price),
            OutreachMeasures.Of(sent.Where(f => !f.IsShort), price));
    }
}

/// <summary>The seed's figures to show beside a member's own measures (SPEC §9), in one place for the API and the pages.</summary>
/// <param name="InMailReplyRateLow">The low end of the seed's InMail reply rate, as a fraction.</param>
/// <param name="InMailReplyRateHigh">The high end of the seed's InMail reply rate, as a fraction.</param>
/// <param name="ColdEmailReplyRate">The seed's reply rate of cold email, as a fraction.</param>
/// <param name="ShortBodyUnderCharacters">Bodies under this many characters do better, says the seed.</param>
/// <param name="BestDays">The seed's best days to send, as a sentence.</param>
/// <param name="BestHours">The seed's best hours to send, as a sentence.</param>
public sealed record OutreachBenchmarks(double InMailReplyRateLow, double InMailReplyRateHigh, double ColdEmailReplyRate, int ShortBodyUnderCharacters,
    string BestDays, string BestHours)
{
    /// <summary>
    /// The seed research's figures: InMail replies 18–25%, cold email 3%, bodies under 400 characters, Tuesday–Thursday
    /// at 7–8 and 17–18.
    /// </summary>
    public static OutreachBenchmarks Seed { get; } =
        new(0.18, 0.25, 0.03, OutreachMeasures.ShortBodyLimit, "Tuesday–Thursday", "7–8 AM and 5–6 PM, recipient's local time");
}
