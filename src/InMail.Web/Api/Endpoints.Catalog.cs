namespace InMail.Web.Api;

/// <summary>The API: the plans, packs and policy numbers.</summary>
public static partial class Endpoints
{
    /// <summary>Maps the public plans into <paramref name="open"/> and the operator's whole catalog into <paramref name="ops"/>.</summary>
    public static void MapCatalogApi(this RouteGroupBuilder open, RouteGroupBuilder ops)
    {
        ArgumentNullException.ThrowIfNull(open);
        ArgumentNullException.ThrowIfNull(ops);
        open.MapGet("/plans", (Runner run) =>
        {
            var catalog = run.Store.Catalog;
            var policy = catalog.Policy;
            return new Answer<CatalogView>(new CatalogView([.. catalog.Plans.Select(View.Of)],
                [.. policy.PackSizes.Select(size => new PackView(size, catalog.PackPriceCents(size) ?? 0))],
                policy.AllowanceLifetimeDays, policy.PurchaseLifetimeMonths, policy.RefundWindowDays));
        }).Doc("The plans, credit packs and credit lifetimes");

        // The catalog's own types, as they are: no view of the API's stands for them.
        ops.MapGet("/catalog", (Runner run) => Results.Json(new { plans = run.Store.Catalog.Plans, policy = run.Store.Catalog.Policy }, ApiJson.Options))
            .DocAnyJson("The whole catalog with every policy number (operators)");
    }
}
