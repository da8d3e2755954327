namespace InMail.Domain.Catalog;

/// <summary>How a subscription is billed. Credits are granted monthly on both.</summary>
public enum BillingPeriod
{
    /// <summary>Paid month by month; cancelling ends the plan at the end of the current cycle.</summary>
    Monthly,

    /// <summary>Paid a year at a time (12 cycles from the anchor); cancelling ends the plan at the end of that year.</summary>
    Annual,
}

/// <summary>A billing period a plan offers, with its price per month in cents (null: custom, no list price).</summary>
/// <param name="PricePerMonthCents">The price per month in cents; null for a custom price with no list price (Recruiter Corporate).</param>
public sealed record BillingOption(long? PricePerMonthCents);

/// <summary>
/// One plan of the catalog (SPEC §2). Numbers here are data, not code: an operator can load another catalog.
/// </summary>
/// <param name="Id">The stable id, e.g. <c>premium-business</c>.</param>
/// <param name="Name">The name shown to people.</param>
/// <param name="Paid">Whether members on it can send paid InMail, buy packs and turn on Open Profile.</param>
/// <param name="Team">Whether it is sold per team: a pool wallet and seats instead of a personal wallet.</param>
/// <param name="Monthly">Monthly billing, or null when not offered.</param>
/// <param name="Annual">Annual billing, or null when not offered.</param>
/// <param name="CreditsPerCycle">Allowance granted at the start of every cycle (per seat for a team plan).</param>
/// <param name="Cap">Most credits live allowance lots may hold after a grant (per seat for a team plan).</param>
/// <param name="DailyInMailLimit">Most InMails, paid and open-profile, in any 24 hours (per seat).</param>
public sealed record Plan(
    string Id,
    string Name,
    bool Paid,
    bool Team,
    BillingOption? Monthly,
    BillingOption? Annual,
    int CreditsPerCycle,
    int Cap,
    int DailyInMailLimit)
{
    /// <summary>The plan's price on <paramref name="period"/>, or null when it is not sold that way.</summary>
    public BillingOption? Billing(BillingPeriod period) => period switch
    {
        BillingPeriod.Monthly => Monthly,
        BillingPeriod.Annual => Annual,
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, "unknown billing period"),
    };

    /// <summary>Whether the plan can be bought on <paramref name="period"/> (otherwise <c>billing-not-offered</c>).</summary>
    public bool Offers(BillingPeriod period) => Billing(period) is not null;
}
