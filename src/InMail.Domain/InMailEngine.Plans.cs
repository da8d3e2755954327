using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain;

/// <summary>What a member asks to do with their plan.</summary>
public enum PlanAction
{
    /// <summary>Start a subscription (from the free plan).</summary>
    Subscribe,

    /// <summary>Change plan or billing at once (to the free plan: an immediate downgrade).</summary>
    Change,

    /// <summary>End the subscription at the end of the paid period.</summary>
    Cancel,

    /// <summary>Withdraw a cancellation: change to the same plan and billing while it is ending.</summary>
    Resume,
}

/// <summary>
/// What a plan action would do, said before it is done (<see cref="InMailEngine.PreviewPlanChange"/>).
/// </summary>
/// <param name="Action">The action as the engine reads it: a change to the plan one is cancelling is a <see cref="PlanAction.Resume"/>.</param>
/// <param name="From">The plan the member is on now.</param>
/// <param name="To">The plan after the action (the free plan once a cancel takes effect).</param>
/// <param name="Billing">The billing period of <paramref name="To"/> (for a cancel: of the plan being cancelled).</param>
/// <param name="PricePerMonthCents">What <paramref name="To"/> costs a month with that billing; null when free, custom, or a cancel.</param>
/// <param name="TakesEffectAt">When it happens: now, or for a cancel the end of the paid period.</param>
/// <param name="AllowanceHeld">Allowance credits the member holds now.</param>
/// <param name="AllowanceForfeited">Allowance credits forfeited then (for a cancel: those left now; grants until the end may add to them).</param>
/// <param name="GrantedAtOnce">Allowance credits granted when it takes effect.</param>
/// <param name="GrantExpires">When those granted credits expire; null when none are granted.</param>
/// <param name="NextGrantAt">The next monthly grant after that; null when there is none.</param>
/// <param name="OtherCredits">Credits from packs, bonuses and refunds, which are never forfeited by a plan change.</param>
/// <param name="OthersFrozen">Whether those credits are frozen afterwards (kept, unusable, still expiring).</param>
/// <param name="OthersThaw">Whether frozen credits become usable again.</param>
/// <param name="CancellationWithdrawn">For a resume: the end that no longer happens.</param>
public sealed record PlanChangePreview(
    PlanAction Action,
    Plan From,
    Plan To,
    BillingPeriod Billing,
    long? PricePerMonthCents,
    DateTimeOffset TakesEffectAt,
    int AllowanceHeld,
    int AllowanceForfeited,
    int GrantedAtOnce,
    DateTimeOffset? GrantExpires,
    DateTimeOffset? NextGrantAt,
    int OtherCredits,
    bool OthersFrozen,
    bool OthersThaw,
    DateTimeOffset? CancellationWithdrawn);

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
        if (CannotSubscribe(member, plan) is { } refused)
        {
            return refused;
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
        var checkedChange = CheckChange(member, plan, billing);
        if (!checkedChange.IsSuccess)
        {
            return checkedChange.Refusal;
        }
        var current = member.Subscription!;
        if (checkedChange.Value)
        {
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
        if (CannotCancel(member) is { } refused)
        {
            return refused;
        }
        var sub = member.Subscription!;
        if (sub.EndsAt is { } already)
        {
            return already; // cancelling twice asks for what is already scheduled; the answer says when
        }
        var end = sub.PaidPeriodEnd(now);
        sub.ScheduleEnd(end);
        return end;
    }

    private static Refusal? CannotSubscribe(Member member, Plan plan) =>
        member.TeamId is not null
            ? Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name} holds a seat on team '{member.TeamId}'; a member holds one plan at a time.")
            : member.Subscription is { } current
                ? Refuse.With(RefusalCode.AlreadySubscribed, $"{member.Profile.Name} is already on {current.Plan.Name}; change the plan instead.")
                : !plan.Paid
                    ? Refuse.With(RefusalCode.InvalidInput, $"{plan.Name} needs no subscription: it is the plan of every member without one.")
                    : null;

    /// <summary>Whether the member may change to the plan; true when the change resumes the plan they are cancelling.</summary>
    private static Outcome<bool> CheckChange(Member member, Plan plan, BillingPeriod billing)
    {
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
            return current.EndsAt is null
                ? Refuse.With(RefusalCode.AlreadySubscribed, $"{member.Profile.Name} is already on {current.Plan.Name}, billed {billing.ToString().ToLowerInvariant()}.")
                : true;
        }
        return false;
    }

    private static Refusal? CannotCancel(Member member) =>
        member.TeamId is not null
            ? Refuse.With(RefusalCode.TeamSeatConflict, $"{member.Profile.Name}'s plan comes with a seat on team '{member.TeamId}'; the team's admin manages it.")
            : member.Subscription is null
                ? Refuse.With(RefusalCode.NoSubscription, $"{member.Profile.Name} has no subscription to cancel.")
                : null;

    /// <summary>
    /// What subscribing, changing plan or cancelling would do to the member's credits, or the refusal the
    /// command would give; changes nothing but catching the member up. It is decided by the same checks as
    /// <see cref="Subscribe"/>, <see cref="ChangePlan"/> and <see cref="Cancel"/>, as <see cref="Quote(DateTimeOffset, SendRequest)"/> is for a send.
    /// For a cancel, <paramref name="planId"/> and <paramref name="billing"/> are ignored.
    /// </summary>
    public Outcome<PlanChangePreview> PreviewPlanChange(DateTimeOffset now, string memberId, PlanAction action, string? planId, BillingPeriod billing)
    {
        var found = Member(memberId, "subscriber");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var member = found.Value;
        CatchUp(now, member);
        var from = PlanOf(member);
        var live = member.Wallet.LiveLots.Where(l => l.Remaining > 0).ToList();
        var allowance = live.Where(l => l.Source == LotSource.Allowance).Sum(l => l.Remaining);
        var others = live.Where(l => l.Source != LotSource.Allowance).Sum(l => l.Remaining);
        var frozenNow = !from.Paid;
        if (action == PlanAction.Cancel)
        {
            if (CannotCancel(member) is { } refused)
            {
                return refused;
            }
            var sub = member.Subscription!;
            var end = sub.EndsAt ?? sub.PaidPeriodEnd(now);
            var nextGrant = sub.NextGrantAt < end ? sub.NextGrantAt : (DateTimeOffset?)null; // grants go on until the end, not at it
            return new PlanChangePreview(action, from, Catalog.FreePlan, sub.Billing, null, end, allowance, allowance, 0, null, nextGrant, others, OthersFrozen: true, OthersThaw: false, null);
        }
        var plan = PersonalPlan(planId ?? "", billing);
        if (!plan.IsSuccess)
        {
            return plan.Refusal;
        }
        var to = plan.Value;
        var price = to.Billing(billing)?.PricePerMonthCents;
        if (action == PlanAction.Subscribe)
        {
            if (CannotSubscribe(member, to) is { } refused)
            {
                return refused;
            }
        }
        else
        {
            var change = CheckChange(member, to, billing);
            if (!change.IsSuccess)
            {
                return change.Refusal;
            }
            var current = member.Subscription!;
            if (change.Value)
            {
                return new PlanChangePreview(PlanAction.Resume, from, to, billing, price, now, allowance, 0, 0, null, current.NextGrantAt, others, OthersFrozen: false, OthersThaw: false, current.EndsAt);
            }
        }
        if (!to.Paid)
        {
            return new PlanChangePreview(action, from, to, billing, null, now, allowance, allowance, 0, null, null, others, OthersFrozen: true, OthersThaw: false, null);
        }
        // Subscribing or changing: the old allowance is forfeited first, so the first grant meets an empty cap.
        var subscription = new Subscription(to, billing, now);
        var grant = Math.Min(to.CreditsPerCycle, to.Cap);
        return new PlanChangePreview(action, from, to, billing, price, now, allowance, action == PlanAction.Change ? allowance : 0, grant,
            grant > 0 ? AllowanceExpiry(subscription, 0, now) : null, subscription.CycleStart(1), others, OthersFrozen: false, OthersThaw: frozenNow && others > 0, null);
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
        if (State.FindTeam(teamId) is not null)
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
    /// <summary>An amount of cents as dollars with two decimals, e.g. 4799 as <c>$47.99</c> and -50 as <c>-$0.50</c>.</summary>
    public static string Format(long cents) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(cents < 0 ? "-" : "")}${Math.Abs(cents / 100)}.{Math.Abs(cents % 100):00}");
}

/// <summary>The one rule for ids of members, teams, groups and messages.</summary>
public static class Identifiers
{
    /// <summary>The longest id, in characters.</summary>
    public const int MaxLength = 64;

    /// <summary>1–64 characters of letters, digits, '.', '_' and '-'.</summary>
    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>The rule as a sentence about <paramref name="what"/> ("member id", "team id"…), for a refusal.</summary>
    public static string Rule(string what) => $"A {what} is 1–{MaxLength} characters of letters, digits, '.', '_' and '-'.";
}
