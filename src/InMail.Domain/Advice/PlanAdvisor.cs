using System.Collections.Concurrent;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain.Advice;

/// <summary>
/// One InMail of the member's pattern, as plain facts: when it went, to whom (an anonymous key, the
/// same for every InMail to one recipient), whether it went by Open Profile (free), and when the
/// recipient first responded, if they did.
/// </summary>
/// <param name="SentAt">When the member sent it.</param>
/// <param name="Recipient">The recipient, as a number: the same for every InMail to one person, and nothing else about them.</param>
/// <param name="OpenProfile">True when it went by Open Profile, free; false for a paid InMail.</param>
/// <param name="RespondedAt">When the recipient first responded; null when they did not.</param>
public readonly record struct SentInMail(DateTimeOffset SentAt, int Recipient, bool OpenProfile, DateTimeOffset? RespondedAt);

/// <summary>A plan and billing period a member can buy, with its price per month in cents.</summary>
/// <param name="Plan">A paid plan with InMail credits and a list price.</param>
/// <param name="Billing">A billing period that plan offers.</param>
/// <param name="PricePerMonthCents">The list price per month on that billing period, in cents.</param>
public sealed record PlanOption(Plan Plan, BillingPeriod Billing, long PricePerMonthCents);

/// <summary>What the member's pattern would have cost and brought under one plan and billing period (SPEC §12).</summary>
/// <param name="Plan">The plan's id.</param>
/// <param name="PlanName">The plan's name.</param>
/// <param name="Billing">The billing period.</param>
/// <param name="SubscriptionCents">The subscription charges falling in the period: a month's price at each monthly cycle, or twelve months' at each year of annual billing.</param>
/// <param name="PacksBought">Packs the replay bought when a send was refused for <c>no-credits</c>.</param>
/// <param name="PacksCents">What the packs cost.</param>
/// <param name="PriceCents">Subscription plus packs.</param>
/// <param name="Sent">InMails sent in the replay (paid and open-profile).</param>
/// <param name="Refused">Sends refused, all codes together.</param>
/// <param name="RefusedByCode">Sends refused, by refusal code (a <c>no-credits</c> refusal that a pack cured is not one).</param>
/// <param name="CreditsExpired">Credits that expired unused before the end of the period.</param>
/// <param name="Replies">InMails sent in the replay whose recipient responded.</param>
/// <param name="CostPerReplyCents">Price ÷ replies, in cents rounded half up; null without replies.</param>
public sealed record PlanOutcome(
    string Plan,
    string PlanName,
    BillingPeriod Billing,
    long SubscriptionCents,
    int PacksBought,
    long PacksCents,
    long PriceCents,
    int Sent,
    int Refused,
    IReadOnlyDictionary<string, int> RefusedByCode,
    int CreditsExpired,
    int Replies,
    long? CostPerReplyCents);

/// <summary>The advice: every plan's outcome in catalog order, the cheapest per reply (null when no plan got a reply) and why, in one sentence.</summary>
/// <param name="From">The period's start: InMails sent at or after it are replayed.</param>
/// <param name="To">The period's end: InMails sent before it are replayed.</param>
/// <param name="InMails">InMails of the member's pattern in the period.</param>
/// <param name="Responded">Of those, the ones whose recipient responded (a response after the period included).</param>
/// <param name="Plans">Every plan option's outcome, in catalog order, monthly first.</param>
/// <param name="Cheapest">The option costing least per reply; null when no option got a reply.</param>
/// <param name="Reason">The one sentence saying why it is the cheapest, or, with no replies, which option is cheapest outright.</param>
public sealed record PlanAdvice(
    DateTimeOffset From,
    DateTimeOffset To,
    int InMails,
    int Responded,
    IReadOnlyList<PlanOutcome> Plans,
    PlanOutcome? Cheapest,
    string Reason);

/// <summary>
/// SPEC §12: replays a member's own pattern on a fresh, in-memory engine under every plan and
/// billing period a member can buy, through the same rules as the service, and names the plan that
/// costs least per reply. It never sees the member's real account: it gets the pattern as facts.
/// </summary>
public sealed class PlanAdvisor
{
    /// <summary>The replayed member's id on the scratch engine; recipients are <c>r1</c>, <c>r2</c>…</summary>
    public const string Me = "me";

    private const string TeamId = "advice-team";
    private const string Subject = "Hello";
    private const string Body = "Hello.";

    private readonly PlanCatalog _catalog;

    /// <summary>An advisor comparing the plans of <paramref name="catalog"/>, replayed under its policy.</summary>
    public PlanAdvisor(PlanCatalog catalog) => _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));

    /// <summary>
    /// The plans a member can buy: paid plans with InMail credits and a list price, each billing
    /// period they offer (a team plan as a team of one seat). <c>basic</c> is not bought, and a custom
    /// price (Recruiter Corporate) has no number to compare.
    /// </summary>
    public IReadOnlyList<PlanOption> Options() =>
        [.. from plan in _catalog.Plans
            where plan.Paid && plan.CreditsPerCycle > 0
            from billing in (BillingPeriod[])[BillingPeriod.Monthly, BillingPeriod.Annual]
            where plan.Billing(billing)?.PricePerMonthCents is > 0
            select new PlanOption(plan, billing, plan.Billing(billing)!.PricePerMonthCents!.Value)];

    /// <summary>
    /// Replays <paramref name="sends"/> (those with <paramref name="from"/> ≤ sent &lt; <paramref name="to"/>,
    /// in any order) under every option. Responses after <paramref name="to"/> still count as replies.
    /// </summary>
    public Outcome<PlanAdvice> Advise(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<SentInMail> sends)
    {
        ArgumentNullException.ThrowIfNull(sends);
        if (from >= to)
        {
            return Refuse.With(RefusalCode.InvalidInput, "from must be earlier than to.");
        }
        var pattern = sends.Where(s => s.SentAt >= from && s.SentAt < to).OrderBy(s => s.SentAt).ToArray();
        // Each replay has its own engine and state: they run side by side, and their order is the catalog's.
        var options = Options();
        var outcomes = new PlanOutcome[options.Count];
        // Longest first: a plan with a higher daily limit sends more of the pattern and takes longer to
        // replay, and started last (the catalog lists the largest plans last) it ran alone at the end while
        // the other cores idled. The order of work changes no outcome: each goes to its catalog slot.
        var longestFirst = Enumerable.Range(0, options.Count).OrderByDescending(i => options[i].Plan.DailyInMailLimit).ToArray();
        Parallel.ForEach(
            Partitioner.Create(longestFirst, EnumerablePartitionerOptions.NoBuffering),
            new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => outcomes[i] = Replay(options[i], from, to, pattern));
        var plans = outcomes.ToList();
        var cheapest = Cheapest(plans);
        var responded = pattern.Count(s => s.RespondedAt >= s.SentAt);
        return new PlanAdvice(from, to, pattern.Length, responded, plans, cheapest, Reason(plans, cheapest, pattern.Length));
    }

    /// <summary>
    /// Lowest cost per reply; ties go to the lower price, then to more replies, then to catalog order
    /// (monthly before annual). Plans without a reply have no cost per reply and are not named.
    /// </summary>
    private static PlanOutcome? Cheapest(List<PlanOutcome> plans) =>
        plans.Where(p => p.CostPerReplyCents is not null)
            .OrderBy(p => p.CostPerReplyCents)
            .ThenBy(p => p.PriceCents)
            .ThenByDescending(p => p.Replies)
            .FirstOrDefault(); // OrderBy is stable: equal plans stay in catalog order

    private static string Reason(List<PlanOutcome> plans, PlanOutcome? cheapest, int inmails)
    {
        if (plans.Count == 0)
        {
            return "The catalog has no plan with InMail credits and a list price to compare.";
        }
        var lowest = plans.OrderBy(p => p.PriceCents).First();
        if (inmails == 0)
        {
            return $"You sent no InMails in this period, so no plan has a cost per reply; the lowest price for it is {Label(lowest)} at {Money.Format(lowest.PriceCents)}.";
        }
        if (cheapest is null)
        {
            return $"None of your InMails in this period got a response under any plan, so no plan has a cost per reply; the lowest price for it is {Label(lowest)} at {Money.Format(lowest.PriceCents)}.";
        }
        var next = plans.Where(p => p != cheapest && p.CostPerReplyCents is not null)
            .OrderBy(p => p.CostPerReplyCents).ThenBy(p => p.PriceCents).FirstOrDefault();
        var refused = cheapest.Refused == 0 ? "" : $", with {cheapest.Refused} of your {inmails} InMails refused";
        var versus = next is null ? "the only plan that got a reply" : $"against {Money.Format(next.CostPerReplyCents!.Value)} on {Label(next)}, the next cheapest";
        return $"{Label(cheapest)} costs {Money.Format(cheapest.PriceCents)} for {cheapest.Replies} repl{(cheapest.Replies == 1 ? "y" : "ies")}{refused}: {Money.Format(cheapest.CostPerReplyCents!.Value)} a reply, {versus}.";
    }

    /// <summary>A plan and its billing as people read it: "Premium Business, billed annually".</summary>
    public static string Label(PlanOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return $"{outcome.PlanName}, billed {(outcome.Billing == BillingPeriod.Annual ? "annually" : "monthly")}";
    }

    // ---------------------------------------------------------------- one replay

    private PlanOutcome Replay(PlanOption option, DateTimeOffset from, DateTimeOffset to, SentInMail[] pattern)
    {
        var engine = new InMailEngine(_catalog);
        var me = engine.AddMember(from, Me, new Profile("Member")).Value;
        Wallet? pool = null;
        if (option.Plan.Team)
        {
            pool = engine.CreateTeam(from, TeamId, option.Plan.Id, option.Billing, [Me], null).Value.Pool;
        }
        else
        {
            _ = engine.Subscribe(from, Me, option.Plan.Id, option.Billing).Value;
        }
        var pack = _catalog.Policy.PackSizes.Min();
        var packPrice = _catalog.PackPriceCents(pack) ?? throw new InvalidOperationException("the smallest pack has no price");

        // Responses in time order; at one instant a send goes before a response, so no response precedes its InMail.
        var responses = Enumerable.Range(0, pattern.Length)
            .Where(i => pattern[i].RespondedAt >= pattern[i].SentAt)
            .OrderBy(i => pattern[i].RespondedAt!.Value).ThenBy(i => i)
            .ToArray();
        var messages = new string?[pattern.Length];
        var recipients = new Recipients();
        var refused = new SortedDictionary<string, int>(StringComparer.Ordinal);
        int sent = 0, packs = 0, replies = 0, next = 0;
        var expiredCounted = false;
        var expired = 0;

        for (var i = 0; i < pattern.Length; i++)
        {
            var at = pattern[i].SentAt;
            for (; next < responses.Length && pattern[responses[next]].RespondedAt!.Value < at; next++)
            {
                replies += Respond(engine, responses[next], messages, recipients, pattern);
            }
            var (to_, fresh) = Recipient(engine, recipients, pattern[i]);
            var request = new SendRequest(Me, to_, Subject, Body);
            var outcome = engine.Send(at, request);
            if (outcome.Refusal is { Code: RefusalCode.NoCredits })
            {
                _ = engine.Buy(at, Me, pack).Value;
                packs++;
                outcome = engine.Send(at, request);
            }
            if (outcome.IsSuccess)
            {
                messages[i] = outcome.Value.Message.Id;
                sent++;
            }
            else
            {
                if (fresh && !pattern[i].OpenProfile)
                {
                    recipients.Release(pattern[i].Recipient); // a refusal changed nothing: the stranger is as good as new
                }
                var code = outcome.Refusal!.CodeText;
                refused[code] = refused.GetValueOrDefault(code) + 1;
            }
        }
        for (; next < responses.Length; next++)
        {
            var at = pattern[responses[next]].RespondedAt!.Value;
            if (!expiredCounted && at >= to)
            {
                expired = Expired(engine, me, pool, to);
                expiredCounted = true;
            }
            replies += Respond(engine, responses[next], messages, recipients, pattern);
        }
        if (!expiredCounted)
        {
            expired = Expired(engine, me, pool, to);
        }

        var subscription = SubscriptionCents(option, from, to);
        var packsCents = checked(packs * packPrice);
        var price = checked(subscription + packsCents);
        return new PlanOutcome(
            option.Plan.Id, option.Plan.Name, option.Billing, subscription, packs, packsCents, price,
            sent, refused.Values.Sum(), refused, expired, replies,
            replies == 0 ? null : checked((price * 2 + replies) / (2L * replies)));
    }

    /// <summary>
    /// The recipient of a send on the scratch engine (fresh: met for the first time), registered at
    /// their first InMail; one reached by Open Profile is given a paid plan with Open Profile on.
    /// </summary>
    private (string Id, bool Fresh) Recipient(InMailEngine engine, Recipients recipients, SentInMail send)
    {
        var fresh = false;
        if (!recipients.TryGet(send.Recipient, out var id))
        {
            fresh = true;
            id = recipients.Assign(send.Recipient, out var isNew);
            if (isNew)
            {
                _ = engine.AddMember(send.SentAt, id, new Profile("Recipient")).Value;
            }
        }
        var member = engine.State.LoadedMember(id);
        if (send.OpenProfile != engine.HasWorkingOpenProfile(member))
        {
            if (send.OpenProfile && !engine.IsPaid(member))
            {
                var paid = _catalog.Plans.First(p => p is { Paid: true, Team: false } && p.Monthly is not null);
                _ = engine.Subscribe(send.SentAt, id, paid.Id, BillingPeriod.Monthly).Value;
            }
            _ = engine.ChangeSettings(send.SentAt, id, openProfile: send.OpenProfile).Value;
        }
        return (id, fresh);
    }

    /// <summary>
    /// The pattern's recipients as members of the scratch engine. A stranger whose first InMail was
    /// refused is untouched (a refusal changes nothing) and stands in for the next new recipient, so
    /// a replay refusing most of 100,000 sends does not keep 100,000 members.
    /// </summary>
    private sealed class Recipients
    {
        private readonly Dictionary<int, string> _ids = [];
        private string? _spare;
        private int _registered;

        public bool TryGet(int key, out string id) => _ids.TryGetValue(key, out id!);

        public string Assign(int key, out bool isNew)
        {
            isNew = _spare is null;
            var id = _spare ?? $"r{++_registered}";
            _spare = null;
            _ids.Add(key, id);
            return id;
        }

        public void Release(int key)
        {
            _spare = _ids[key];
            _ids.Remove(key);
        }

        public string this[int key] => _ids[key];
    }

    /// <summary>The recipient responds to the replayed InMail, if it was sent; 1 when it counts as a reply.</summary>
    private static int Respond(InMailEngine engine, int index, string?[] messages, Recipients recipients, SentInMail[] pattern)
    {
        if (messages[index] is not { } id)
        {
            return 0; // refused in this replay: nobody received it, nobody answers
        }
        var at = pattern[index].RespondedAt!.Value;
        var message = engine.State.FindMessage(id) ?? throw new InvalidOperationException($"replayed message {id} is missing");
        if (message.RespondedAt is null)
        {
            // One response answers every InMail of the thread before it (SPEC §3): the later ones need no call.
            _ = engine.Respond(at, recipients[pattern[index].Recipient], id, ResponseKind.Reply, "Thanks.").Value;
        }
        return 1;
    }

    /// <summary>Credits of the member's wallet (and a team plan's pool) that expired unused before <paramref name="to"/>.</summary>
    private static int Expired(InMailEngine engine, Member me, Wallet? pool, DateTimeOffset to)
    {
        engine.CatchUp(to, me);
        return -(Sum(me.Wallet) + (pool is null ? 0 : Sum(pool)));

        int Sum(Wallet wallet) => wallet.Ledger.Where(e => e.Kind == LedgerKind.Expire && e.At < to).Sum(e => e.Delta);
    }

    /// <summary>Charges falling in [from, to): monthly, a month's price at every cycle; annual, twelve months' at every twelfth.</summary>
    public static long SubscriptionCents(PlanOption option, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(option);
        var step = option.Billing == BillingPeriod.Annual ? 12 : 1;
        long total = 0;
        for (var k = 0; UtcCalendar.AddMonths(from, k) < to; k += step)
        {
            total = checked(total + option.PricePerMonthCents * step);
        }
        return total;
    }
}
