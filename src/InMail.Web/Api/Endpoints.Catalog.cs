namespace InMail.Web.Api;

/// <summary>The API: the plans, packs and policy numbers.</summary>
public static partial class Endpoints
{
    private static void MapCatalog(RouteGroupBuilder open, RouteGroupBuilder ops)
    {
        open.MapGet("/plans", (Runner run) =>
        {
            var catalog = run.Store.Catalog;
            var policy = catalog.Policy;
            return Results.Json(new CatalogView([.. catalog.Plans.Select(View.Of)],
                [.. policy.PackSizes.Select(size => new PackView(size, catalog.PackPriceCents(size) ?? 0))],
                policy.AllowanceLifetimeDays, policy.PurchaseLifetimeMonths, policy.RefundWindowDays), ApiJson.Options);
        }).Doc<CatalogView>("The plans, credit packs and credit lifetimes");

        ops.MapGet("/catalog", (Runner run) => Results.Json(new { plans = run.Store.Catalog.Plans, policy = run.Store.Catalog.Policy }, ApiJson.Options))
            .Doc<object>("The whole catalog with every policy number (operators)");
    }
}
