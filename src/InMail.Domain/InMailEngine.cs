using System.Text.Json;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain;

/// <summary>
/// The rules of SPEC §1–§7 as one deterministic engine over an <see cref="InMailState"/>. Every
/// operation takes the current instant; nothing reads a clock. A refused operation returns a
/// <see cref="Refusal"/> and changes nothing but the catching up of what was already due (grants,
/// expiries, cancellations), which would have happened at its own instant anyway.
/// </summary>
public sealed partial class InMailEngine
{
    /// <summary>
    /// An engine applying <paramref name="catalog"/>'s plans and policy to <paramref name="state"/> (a new, empty
    /// system when null).
    /// </summary>
    public InMailEngine(PlanCatalog catalog, InMailState? state = null)
    {
        Catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        State = state ?? new InMailState();
    }

    /// <summary>The plans on sale and the policy numbers every rule reads.</summary>
    public PlanCatalog Catalog { get; }

    /// <summary>The members, teams, groups and conversations the engine changes; in the service, a working set over storage.</summary>
    public InMailState State { get; }
    private Policy Policy => Catalog.Policy;
    private IdSequences Ids => State.Ids;

    /// <summary>The plan a member is on right now: their subscription's, their team's, or the free plan.</summary>
    public Plan PlanOf(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (member.Subscription is { } s)
        {
            return s.Plan;
        }
        return State.FindTeam(member.TeamId) is { IsActive: true } team ? team.Plan : Catalog.FreePlan;
    }

    /// <summary>True when the member is on a paid plan (personally or through a seat).</summary>
    public bool IsPaid(Member member) => PlanOf(member).Paid;

    /// <summary>Open Profile works only while its owner is on a paid plan.</summary>
    public bool HasWorkingOpenProfile(Member member) => member is { OpenProfile: true } && IsPaid(member);

    // ---------------------------------------------------------------- catching up

    /// <summary>
    /// Carries out everything scheduled up to and including <paramref name="now"/> for the member, in
    /// time order: lot expiries, then the end of a cancelled subscription, then allowance grants. A
    /// seat's team is caught up first. No batch job is needed: every read and write calls this.
    /// </summary>
    public void CatchUp(DateTimeOffset now, Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        if (State.FindTeam(member.TeamId) is { } team)
        {
            CatchUp(now, team);
        }
        var wallet = member.Wallet;
        for (var steps = 0; ; steps++)
        {
            EnsureProgress(steps, member.Id);
            var sub = member.Subscription;
            var due = Earliest(wallet.NextExpiry, sub?.EndsAt, sub is null ? null : NextGrant(sub), now);
            // SPEC §11's week-ahead warnings come after the wallet's own events at the same instant.
            if (NextWarning(member, now) is { } warn && (due is null || warn < due))
            {
                Warn(member, warn);
                continue;
            }
            if (due is not { } t)
            {
                return;
            }
            wallet.ExpireUpTo(t);
            if (sub?.EndsAt == t)
            {
                wallet.Forfeit(t, LotSource.Allowance, $"{sub.Plan.Name} ended");
                member.SetSubscription(null);
                continue;
            }
            if (sub is not null && NextGrant(sub) == t && GrantAllowance(wallet, sub, t, 1, null) is > 0 and var granted)
            {
                Notify(member, Messaging.NotificationKinds.CreditsGranted, t, null, $"{sub.Plan.Name} granted {granted} InMail credit{(granted == 1 ? "" : "s")}.");
            }
        }
    }

    /// <summary>Catches up a team: pool expiries, the end of a cancelled team plan, and per-seat pool grants.</summary>
    public void CatchUp(DateTimeOffset now, Team team)
    {
        ArgumentNullException.ThrowIfNull(team);
        for (var steps = 0; team.IsActive; steps++)
        {
            EnsureProgress(steps, team.Id);
            var sub = team.Subscription;
            var due = Earliest(team.Pool.NextExpiry, sub.EndsAt, NextGrant(sub), now);
            if (due is not { } t)
            {
                return;
            }
            team.Pool.ExpireUpTo(t);
            if (sub.EndsAt == t)
            {
                EndTeam(team, t);
                return;
            }
            if (NextGrant(sub) == t)
            {
                team.StartCycle(sub.NextCycle);
                GrantAllowance(team.Pool, sub, t, Math.Max(team.Seats.Count, 0), $"{team.Seats.Count} seats");
            }
        }
        // An ended team's pool can still receive refund lots (an InMail paid from the pool answered
        // after the end); they expire on schedule like any lot (SPEC §3).
        team.Pool.ExpireUpTo(now);
    }

    /// <summary>Catches up the owner of a wallet: a member (with their team) or a team.</summary>
    public void CatchUp(DateTimeOffset now, WalletId wallet)
    {
        switch (wallet.Owner)
        {
            case WalletOwner.Member:
                CatchUp(now, State.LoadedMember(wallet.Id));
                break;
            case WalletOwner.Team:
                CatchUp(now, State.LoadedTeam(wallet.Id));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(wallet), wallet, "unknown wallet owner");
        }
    }

    /// <summary>Catches every member and team up to <paramref name="now"/> (the demo clock and the simulation use it).</summary>
    public void CatchUpAll(DateTimeOffset now)
    {
        foreach (var team in State.TeamIndex.Values.ToList())
        {
            CatchUp(now, team);
        }
        foreach (var member in State.MemberIndex.Values.ToList())
        {
            CatchUp(now, member);
        }
    }

    /// <summary>
    /// Each catch-up step carries out at least one due event, and a member has at most a few per
    /// cycle; a century of monthly cycles is far below this bound. Passing it means a bug.
    /// </summary>
    private const int MaxCatchUpSteps = 100_000;

    private static void EnsureProgress(int steps, string owner)
    {
        if (steps > MaxCatchUpSteps)
        {
            throw new InvalidOperationException($"catching up '{owner}' did not finish within {MaxCatchUpSteps} steps");
        }
    }

    private static DateTimeOffset? NextGrant(Subscription sub)
    {
        var at = sub.NextGrantAt;
        return sub.EndsAt is { } end && at >= end ? null : at;
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b, DateTimeOffset? c, DateTimeOffset now)
    {
        DateTimeOffset? best = null;
        foreach (var t in (ReadOnlySpan<DateTimeOffset?>)[a, b, c])
        {
            if (t is { } v && v <= now && (best is null || v < best))
            {
                best = v;
            }
        }
        return best;
    }

    /// <summary>grant = min(allowance, max(0, cap − live allowance)), both multiplied by seats for a team.</summary>
    private int GrantAllowance(Wallet wallet, Subscription sub, DateTimeOffset at, int multiplier, string? detail)
    {
        var plan = sub.Plan;
        var allowance = checked(plan.CreditsPerCycle * multiplier);
        var cap = checked(plan.Cap * multiplier);
        var live = wallet.BalanceOf(LotSource.Allowance);
        var grant = Math.Min(allowance, Math.Max(0, cap - live));
        var cycle = sub.NextCycle;
        sub.MarkGranted();
        if (grant <= 0)
        {
            return 0;
        }
        var expires = AllowanceExpiry(sub, cycle, at);
        var note = $"{plan.Name}, cycle {cycle + 1}" + (detail is null ? "" : $", {detail}") + (grant < allowance ? $" (clipped by the cap of {cap})" : "");
        wallet.Create(at, LotSource.Allowance, grant, expires, note);
        return grant;
    }

    /// <summary>When an allowance granted at <paramref name="at"/> for <paramref name="cycle"/> expires.</summary>
    private DateTimeOffset AllowanceExpiry(Subscription sub, int cycle, DateTimeOffset at) =>
        Policy.AllowanceExpiresAtNextCycle ? sub.CycleStart(cycle + 1) : UtcCalendar.AddDays(at, Policy.AllowanceLifetimeDays);

    private void EndTeam(Team team, DateTimeOffset at)
    {
        foreach (var lot in team.Pool.LiveLots.Select(l => l.Source).Distinct().ToList())
        {
            team.Pool.Forfeit(at, lot, $"{team.Plan.Name} team plan ended");
        }
        foreach (var seat in team.Seats)
        {
            State.LoadedMember(seat).SetTeam(null);
        }
        team.End(at);
    }

    // ---------------------------------------------------------------- lookups with refusals

    private Outcome<Member> Member(string? id, string role)
    {
        var member = State.FindMember(id);
        return member is null
            ? Refuse.With(RefusalCode.UnknownMember, $"There is no member '{id}' ({role}).")
            : member;
    }

    private Outcome<(Member A, Member B)> Members(string? a, string roleA, string? b, string roleB)
    {
        var first = Member(a, roleA);
        if (!first.IsSuccess)
        {
            return first.Refusal;
        }
        var second = Member(b, roleB);
        if (!second.IsSuccess)
        {
            return second.Refusal;
        }
        return (first.Value, second.Value);
    }

    /// <summary>
    /// The first checks of a send, an invitation and a connection (SPEC §4, §6), in their order:
    /// both members exist (<c>unknown-member</c>), they are two (<c>self-message</c>), and neither
    /// blocked the other (<c>blocked</c>).
    /// </summary>
    private Outcome<(Member A, Member B)> Reachable(string? a, string roleA, string? b, string roleB, string selfMessage)
    {
        var pair = Members(a, roleA, b, roleB);
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (x, y) = pair.Value;
        if (x == y)
        {
            return Refuse.With(RefusalCode.SelfMessage, selfMessage);
        }
        return State.IsBlockedEitherWay(x, y)
            ? Refuse.With(RefusalCode.Blocked, "One of these members blocked the other.")
            : pair;
    }

    // ---------------------------------------------------------------- idempotency

    private static readonly JsonSerializerOptions FingerprintOptions = new() { WriteIndented = false };

    /// <summary>
    /// Runs <paramref name="action"/> once per (actor, key). A retry with the same payload returns the
    /// first result with <c>Replayed</c> set and changes nothing; the same key with another payload is
    /// refused with <c>idempotency-conflict</c>. Refusals are not remembered: a refused request changed
    /// nothing, so retrying it simply asks again.
    /// </summary>
    public Outcome<Idempotent<T>> Idempotently<T>(DateTimeOffset now, string actor, string? key, object payload, Func<Outcome<T>> action)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(action);
        if (key is null)
        {
            var direct = action();
            return direct.IsSuccess ? new Idempotent<T>(direct.Value, false) : direct.Refusal;
        }
        if (key.Length is 0 or > 255 || TextRulesHaveControl(key))
        {
            return Refuse.With(RefusalCode.InvalidInput, "An idempotency key is 1–255 printable characters.");
        }
        var fingerprint = payload.GetType().Name + JsonSerializer.Serialize(payload, payload.GetType(), FingerprintOptions);
        if (State.FindIdempotencyRecord(actor, key) is { } seen)
        {
            if (seen.Fingerprint != fingerprint)
            {
                return Refuse.With(RefusalCode.IdempotencyConflict, "This idempotency key was already used with a different request.");
            }
            return new Idempotent<T>((T)seen.Result, true);
        }
        var outcome = action();
        if (!outcome.IsSuccess)
        {
            return outcome.Refusal;
        }
        State.IdempotencyIndex[(actor, key)] = new IdempotencyRecord(fingerprint, outcome.Value, now);
        return new Idempotent<T>(outcome.Value, false);
    }

    private static bool TextRulesHaveControl(string s) => s.Any(char.IsControl);
}

/// <summary>A result of an idempotent request; <see cref="Replayed"/> when it is the first result returned again.</summary>
/// <param name="Value">The request's result: the first one's, when replayed.</param>
/// <param name="Replayed">True when the key was seen before and nothing was done again.</param>
public sealed record Idempotent<T>(T Value, bool Replayed);
