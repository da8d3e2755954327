using System.Text.Json;
using System.Text.Json.Serialization;

namespace InMail.Domain.Catalog;

/// <summary>The plans on sale and the policy numbers, loaded from JSON (the default is embedded).</summary>
public sealed class PlanCatalog
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    private static readonly Lazy<PlanCatalog> DefaultCatalog = new(LoadDefault);
    private readonly Dictionary<string, Plan> _plans;

    private PlanCatalog(IReadOnlyList<Plan> plans, Policy policy, string freePlanId)
    {
        Plans = plans;
        Policy = policy;
        _plans = plans.ToDictionary(p => p.Id, StringComparer.Ordinal);
        FreePlan = _plans[freePlanId];
    }

    /// <summary>SPEC §2's catalog and the spec's policy numbers.</summary>
    public static PlanCatalog Default => DefaultCatalog.Value;

    /// <summary>Every plan on sale, in the catalog file's order (the order pages and the advisor list them in).</summary>
    public IReadOnlyList<Plan> Plans { get; }

    /// <summary>The numbers of the rules that are not per plan: lifetimes, windows, limits.</summary>
    public Policy Policy { get; }

    /// <summary>The plan of every member without a subscription or seat (<c>basic</c> by default).</summary>
    public Plan FreePlan { get; }

    /// <summary>Finds a plan by its id (exact case); false when the catalog has none (<c>unknown-plan</c>).</summary>
    public bool TryGetPlan(string? id, out Plan plan) => _plans.TryGetValue(id ?? "", out plan!);

    /// <summary>Price of a pack in cents, or null when no pack of that size is sold.</summary>
    public long? PackPriceCents(int credits) =>
        Policy.PackSizes.Contains(credits) ? checked(credits * Policy.CreditPriceCents) : null;

    /// <summary>Reads a catalog; throws <see cref="CatalogException"/> saying what is wrong.</summary>
    public static PlanCatalog FromJson(string json)
    {
        CatalogFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogFile>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new CatalogException($"the catalog is not valid JSON for a catalog: {e.Message}", e);
        }
        if (file?.Plans is not { Count: > 0 })
        {
            throw new CatalogException("the catalog has no plans");
        }
        var plans = file.Plans.Select(ToPlan).ToList();
        var duplicate = plans.GroupBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new CatalogException($"plan '{duplicate.Key}' appears twice");
        }
        var policy = file.Policy ?? new Policy();
        Validate(policy);
        var freePlanId = file.FreePlan ?? "basic";
        var free = plans.FirstOrDefault(p => p.Id == freePlanId)
            ?? throw new CatalogException($"the free plan '{freePlanId}' is not in the catalog");
        if (free.Paid || free.Team)
        {
            throw new CatalogException($"the free plan '{freePlanId}' must be neither paid nor a team plan");
        }
        return new PlanCatalog(plans, policy, freePlanId);
    }

    private static Plan ToPlan(PlanFile p)
    {
        if (string.IsNullOrWhiteSpace(p.Id))
        {
            throw new CatalogException("a plan has no id");
        }
        if (p.CreditsPerCycle < 0 || p.Cap < 0 || p.DailyInMailLimit < 0)
        {
            throw new CatalogException($"plan '{p.Id}': credits, cap and daily limit cannot be negative");
        }
        if (p.Monthly is null && p.Annual is null)
        {
            throw new CatalogException($"plan '{p.Id}' offers no billing period");
        }
        if (p.Monthly?.PricePerMonthCents < 0 || p.Annual?.PricePerMonthCents < 0)
        {
            throw new CatalogException($"plan '{p.Id}': a price cannot be negative");
        }
        return new Plan(p.Id, p.Name ?? p.Id, p.Paid, p.Team, p.Monthly, p.Annual, p.CreditsPerCycle, p.Cap, p.DailyInMailLimit);
    }

    private static void Validate(Policy policy)
    {
        if (policy.PackSizes.Any(s => s <= 0) || policy.CreditPriceCents < 0)
        {
            throw new CatalogException("pack sizes must be positive and the credit price not negative");
        }
        var windows = new[]
        {
            policy.AllowanceLifetimeDays, policy.PurchaseLifetimeMonths, policy.RefundWindowDays, policy.RefundLotLifetimeDays,
            policy.DailyWindowHours, policy.RecipientWindowDays, policy.InviteWindowDays, policy.SpamWindowDays, policy.SpamSuspensionDays,
        };
        if (windows.Any(w => w <= 0))
        {
            throw new CatalogException("every lifetime and window in the policy must be positive");
        }
        if (policy.ComparisonMinSendsPerArm < 1)
        {
            throw new CatalogException("comparisonMinSendsPerArm must be at least 1: a verdict needs sends on both sides");
        }
    }

    private static PlanCatalog LoadDefault()
    {
        using var stream = typeof(PlanCatalog).Assembly.GetManifestResourceStream("InMail.Domain.default-catalog.json")
            ?? throw new InvalidOperationException("the default catalog is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return FromJson(reader.ReadToEnd());
    }

    private sealed record CatalogFile(List<PlanFile>? Plans, Policy? Policy, string? FreePlan);

    private sealed record PlanFile(
        string Id,
        string? Name,
        bool Paid,
        bool Team,
        BillingOption? Monthly,
        BillingOption? Annual,
        int CreditsPerCycle,
        int Cap,
        int DailyInMailLimit);
}

/// <summary>A catalog file that cannot be used, with what is wrong in it.</summary>
public sealed class CatalogException : Exception
{
    /// <summary>A catalog that cannot be used, and <paramref name="message"/> saying why.</summary>
    public CatalogException(string message) : base(message) { }

    /// <summary>A catalog that cannot be used, <paramref name="message"/> saying why, and the error that showed it.</summary>
    public CatalogException(string message, Exception inner) : base(message, inner) { }

    /// <summary>A catalog that cannot be used, for no stated reason.</summary>
    public CatalogException() { }
}
