using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain;

/// <summary>Subscriptions, plan changes, cancellation, teams, packs and bonus grants (SPEC §2–§3).</summary>
public sealed partial class InMailEngine
{
    /// <summary>Starts a personal subscription; its first allowance is granted at once.</summary>
    public Outcome<Subscription> Subscribe(DateTimeOffset now, string memberId, string planId, BillingPeriod billing)
    {
        var found = SubscriberAndPlan(now, memberId, planId, billing);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (member, plan) = found.Value;
        if (member.TeamId is not null)
        {
            return Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name} holds a seat on team '{member.TeamId}'; a member holds one plan at a time.");
        }
        if (member.Subscription is { } current)
        {
            return Refuse.With(RefusalCode.AlreadySubscribed, $"{member.Profile.Name} is already on {current.Plan.Name}; change the plan instead.");
        }
        if (!plan.Paid)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"{plan.Name} needs no subscription: it is the plan of every member without one.");
        }
        var subscription = new Subscription(plan, billing, now);
        member.SetSubscription(subscription);
        CatchUp(now, member);
        return subscription;
    }

    /// <summary>
    /// Upgrade or downgrade at once: the old plan's allowance lots are forfeited, other lots stay, and
    /// the new plan is anchored now with its first grant now. Changing to the free plan grants nothing.
    /// </summary>
    public Outcome<Subscription?> ChangePlan(DateTimeOffset now, string memberId, string planId, BillingPeriod billing)
    {
        var found = SubscriberAndPlan(now, memberId, planId, billing);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (member, plan) = found.Value;
        if (member.TeamId is not null)
        {
            return Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name}'s plan comes with a seat on team '{member.TeamId}'; the team's admin manages it.");
        }
        if (member.Subscription is not { } current)
        {
            return Refuse.With(RefusalCode.NoSubscription, $"{member.Profile.Name} has no subscription to change; subscribe instead.");
        }
        if (current.Plan.Id == plan.Id && current.Billing == billing)
        {
            if (current.EndsAt is null)
            {
                return Refuse.With(RefusalCode.AlreadySubscribed, $"{member.Profile.Name} is already on {current.Plan.Name}, billed {billing.ToString().ToLowerInvariant()}.");
            }
            // Choosing the plan one is cancelling resumes it: same anchor, same lots, nothing forfeited.
            current.Resume();
            return current;
        }
        member.Wallet.Forfeit(now, LotSource.Allowance, $"changed from {current.Plan.Name} to {plan.Name}");
        if (!plan.Paid)
        {
            member.SetSubscription(null);
            return Outcome<Subscription?>.Success(null);
        }
        var subscription = new Subscription(plan, billing, now);
        member.SetSubscription(subscription);
        CatchUp(now, member);
        return subscription;
    }

    /// <summary>Schedules the end of the subscription at the end of the paid period; returns that instant.</summary>
    public Outcome<DateTimeOffset> Cancel(DateTimeOffset now, string memberId)
    {
        var found = Member(memberId, "subscriber");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        CatchUp(now, member);
        if (member.TeamId is not null)
        {
            return Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name}'s plan comes with a seat on team '{member.TeamId}'; the team's admin manages it.");
        }
        if (member.Subscription is not { } sub)
        {
            return Refuse.With(RefusalCode.NoSubscription, $"{member.Profile.Name} has no subscription to cancel.");
        }
        if (sub.EndsAt is { } already)
        {
            return already; // cancelling twice asks for what is already scheduled; the answer says when
        }
        var end = sub.PaidPeriodEnd(now);
        sub.ScheduleEnd(end);
        return end;
    }

    /// <summary>The subscriber, caught up, and the personal plan they ask for.</summary>
    private Outcome<(Member Member, Plan Plan)> SubscriberAndPlan(DateTimeOffset now, string memberId, string planId, BillingPeriod billing)
    {
        var found = Member(memberId, "subscriber");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        CatchUp(now, found.Value);
        var plan = PersonalPlan(planId, billing);
        return plan.IsSuccess ? (found.Value, plan.Value) : plan.Refusal;
    }

    private Outcome<Plan> PersonalPlan(string planId, BillingPeriod billing)
    {
        if (!Catalog.TryGetPlan(planId, out var plan))
        {
            return Refuse.With(RefusalCode.UnknownPlan, $"There is no plan '{planId}'.");
        }
        if (!plan.Offers(billing))
        {
            return Refuse.With(RefusalCode.BillingNotOffered, $"{plan.Name} is not offered with {billing.ToString().ToLowerInvariant()} billing.");
        }
        if (plan.Team)
        {
            return Refuse.With(RefusalCode.TeamSeatConflict, $"{plan.Name} is sold per team: create a team and give the member a seat.");
        }
        return plan;
    }

    // ---------------------------------------------------------------- teams

    /// <summary>
    /// Creates a team on a team plan with its seats; the pool's first grant comes at once, for the
    /// seats held. Members in <paramref name="offers"/> are offered a seat, which is theirs only once
    /// they accept it (<see cref="AcceptSeat"/>).
    /// </summary>
    public Outcome<Team> CreateTeam(DateTimeOffset now, string teamId, string planId, BillingPeriod billing, IReadOnlyList<string> seats, int? seatCap,
        string? admin = null, IReadOnlyList<string>? offers = null)
    {
        ArgumentNullException.ThrowIfNull(seats);
        offers ??= [];
        if (!Identifiers.IsValid(teamId))
        {
            return Refuse.With(RefusalCode.InvalidInput, Identifiers.Rule("team id"));
        }
        if (State.TeamIndex.ContainsKey(teamId))
        {
            return Refuse.With(RefusalCode.InvalidInput, $"A team '{teamId}' already exists.");
        }
        if (!Catalog.TryGetPlan(planId, out var plan))
        {
            return Refuse.With(RefusalCode.UnknownPlan, $"There is no plan '{planId}'.");
        }
        if (!plan.Team)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"{plan.Name} is a personal plan; a team needs a team plan.");
        }
        if (!plan.Offers(billing))
        {
            return Refuse.With(RefusalCode.BillingNotOffered, $"{plan.Name} is not offered with {billing.ToString().ToLowerInvariant()} billing.");
        }
        if (seats.Count == 0 || seats.Distinct(StringComparer.Ordinal).Count() != seats.Count)
        {
            return Refuse.With(RefusalCode.InvalidInput, "A team needs at least one seat, each member once.");
        }
        if (seatCap is < 0)
        {
            return Refuse.With(RefusalCode.InvalidInput, "A seat cap cannot be negative.");
        }
        var members = new List<Member>(seats.Count);
        foreach (var seat in seats)
        {
            var m = Member(seat, "seat");
            if (!m.IsSuccess)
            {
                return m.Refusal;
            }
            CatchUp(now, m.Value);
            if (SeatConflict(m.Value) is { } conflict)
            {
                return conflict;
            }
            members.Add(m.Value);
        }
        var adminId = admin ?? seats[0];
        if (!seats.Contains(adminId, StringComparer.Ordinal))
        {
            return Refuse.With(RefusalCode.InvalidInput, "The team's admin must hold one of its seats.");
        }
        if (offers.Distinct(StringComparer.Ordinal).Count() != offers.Count || offers.Any(o => seats.Contains(o, StringComparer.Ordinal)))
        {
            return Refuse.With(RefusalCode.InvalidInput, "A member is offered a seat once, and not one they are given.");
        }
        foreach (var offered in offers)
        {
            var m = Member(offered, "offered a seat");
            if (!m.IsSuccess)
            {
                return m.Refusal;
            }
            CatchUp(now, m.Value);
            if (SeatConflict(m.Value) is { } conflict)
            {
                return conflict;
            }
        }
        var team = new Team(teamId, adminId, new Subscription(plan, billing, now));
        team.SetSeatCap(seatCap);
        foreach (var m in members)
        {
            team.AddSeat(m.Id);
            m.SetTeam(team.Id);
        }
        foreach (var offered in offers)
        {
            team.Offer(offered, now);
        }
        State.TeamIndex.Add(team.Id, team);
        CatchUp(now, team);
        return team;
    }

    /// <summary>
    /// Gives a member a seat without asking them, as an import or a scenario script does; members
    /// of the service are offered a seat instead (<see cref="OfferSeat"/>). The pool grows at the
    /// team's next cycle, not before.
    /// </summary>
    public Outcome<Team> AddSeat(DateTimeOffset now, string teamId, string memberId)
    {
        var found = TeamAndMember(now, teamId, memberId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (team, member) = found.Value;
        if (SeatConflict(member) is { } conflict)
        {
            return conflict;
        }
        team.AddSeat(member.Id);
        member.SetTeam(team.Id);
        return team;
    }

    /// <summary>Takes a seat away; the member is on the free plan and their own lots freeze.</summary>
    public Outcome<Team> RemoveSeat(DateTimeOffset now, string teamId, string memberId)
    {
        var found = TeamAndMember(now, teamId, memberId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (team, member) = found.Value;
        if (!team.HasSeat(member.Id))
        {
            return Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name} holds no seat on team '{teamId}'.");
        }
        team.RemoveSeat(member.Id);
        member.SetTeam(null);
        return team;
    }

    /// <summary>Sets (or clears, with null) how many pool credits one seat may spend per team cycle.</summary>
    public Outcome<Team> SetSeatCap(DateTimeOffset now, string teamId, int? seatCap)
    {
        var team = ActiveTeam(now, teamId);
        if (!team.IsSuccess)
        {
            return team.Refusal;
        }
        if (seatCap is < 0)
        {
            return Refuse.With(RefusalCode.InvalidInput, "A seat cap cannot be negative.");
        }
        team.Value.SetSeatCap(seatCap);
        return team;
    }

    /// <summary>Cancels the team's plan at the end of its paid period; then the pool is forfeited and seats go to the free plan.</summary>
    public Outcome<DateTimeOffset> CancelTeam(DateTimeOffset now, string teamId)
    {
        var team = ActiveTeam(now, teamId);
        if (!team.IsSuccess)
        {
            return team.Refusal;
        }
        var sub = team.Value.Subscription;
        if (sub.EndsAt is { } already)
        {
            return already;
        }
        var end = sub.PaidPeriodEnd(now);
        sub.ScheduleEnd(end);
        return end;
    }

    /// <summary>An active team and a member, both caught up (the member after the team, as a seat needs).</summary>
    internal Outcome<(Team Team, Member Member)> TeamAndMember(DateTimeOffset now, string teamId, string memberId)
    {
        var team = ActiveTeam(now, teamId);
        if (!team.IsSuccess)
        {
            return team.Refusal;
        }
        var member = Member(memberId, "seat");
        if (!member.IsSuccess)
        {
            return member.Refusal;
        }
        CatchUp(now, member.Value);
        return (team.Value, member.Value);
    }

    private Outcome<Team> ActiveTeam(DateTimeOffset now, string teamId)
    {
        var team = State.FindTeam(teamId);
        if (team is null)
        {
            return Refuse.With(RefusalCode.UnknownTeam, $"There is no team '{teamId}'.");
        }
        CatchUp(now, team);
        return team.IsActive ? team : Refuse.With(RefusalCode.UnknownTeam, $"Team '{teamId}' ended on {UtcCalendar.Format(team.EndedAt!.Value)}.");
    }

    internal static Refusal? SeatConflict(Member member) =>
        member.TeamId is not null
            ? Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name} already holds a seat on team '{member.TeamId}'.")
            : member.Subscription is not null
                ? Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name} has a personal subscription; a member holds one plan at a time.")
                : null;

    // ---------------------------------------------------------------- packs and bonuses

    /// <summary>Buys a pack: a purchase lot, usable at once, outside the cap, living 12 months.</summary>
    public Outcome<Lot> Buy(DateTimeOffset now, string memberId, int pack)
    {
        var found = Member(memberId, "buyer");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        CatchUp(now, member);
        if (!IsPaid(member))
        {
            return Refuse.With(RefusalCode.PurchaseNotAllowed, "Credits can be bought on a paid plan only; subscribe first.");
        }
        if (Catalog.PackPriceCents(pack) is not { } price)
        {
            return Refuse.With(RefusalCode.UnknownPack, $"There is no pack of {pack} credits; packs hold {string.Join(", ", Policy.PackSizes)}.");
        }
        var expires = UtcCalendar.AddMonths(now, Policy.PurchaseLifetimeMonths);
        return member.Wallet.Create(now, LotSource.Purchase, pack, expires, $"pack of {pack} for {Money.Format(price)}");
    }

    /// <summary>An operator's grant (promotion, referral): a bonus lot outside the cap.</summary>
    public Outcome<Lot> GrantBonus(DateTimeOffset now, string memberId, int credits, int days, string? reason)
    {
        var found = Member(memberId, "recipient of the bonus");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        if (credits is < 1 or > 100_000 || days is < 1 or > 3_650)
        {
            return Refuse.With(RefusalCode.InvalidInput, "A bonus grants 1–100,000 credits for 1–3,650 days.");
        }
        if (reason is not null && (reason.Length > 200 || Content.TextRules.HasInvalidCharacters(reason)))
        {
            return Refuse.With(RefusalCode.InvalidInput, "A bonus reason is at most 200 characters of plain text.");
        }
        var member = found.Value;
        CatchUp(now, member);
        return member.Wallet.Create(now, LotSource.Bonus, credits, UtcCalendar.AddDays(now, days), reason ?? "bonus");
    }
}

/// <summary>Money is integer cents; this formats it as US dollars.</summary>
public static class Money
{
    public static string Format(long cents) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"${cents / 100}.{Math.Abs(cents % 100):00}");
}

/// <summary>The one rule for ids of members, teams, groups and messages.</summary>
public static class Identifiers
{
    public const int MaxLength = 64;

    /// <summary>1–64 characters of letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public static string Rule(string what) => $"A {what} is 1–{MaxLength} characters of letters, digits, '.', '_' and '-'.";
}
