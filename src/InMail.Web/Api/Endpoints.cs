using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>The HTTP API, version 1: resources under <c>/api/v1</c>, JSON in and out, problems for every refusal.</summary>
public static partial class Endpoints
{
    /// <summary>Maps every feature's resources: <c>Map…Api</c> on the route group most of its resources live in.</summary>
    public static void MapInMailApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var open = app.MapGroup("/api/v1").WithTags("InMail");
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("InMail");
        var ops = app.MapGroup("/api/v1/operator").RequireAuthorization(Authentication.OperatorPolicy).WithTags("Operator");

        open.MapAccountsApi(api);
        open.MapCatalogApi(ops);
        api.MapMembersApi();
        api.MapNetworkApi();
        api.MapPlansApi();
        api.MapTeamsApi();
        api.MapMessagingApi();
        api.MapTemplatesApi();
        api.MapSchedulesApi();
        api.MapSequencesApi();
        api.MapReportsApi();
        api.MapLabelsApi();
        api.MapAttachmentsApi();
        api.MapSnoozesApi();
        api.MapExportsApi(ops);
        api.MapAdviceApi();
        api.MapOutreachChartsApi();
        api.MapNotificationsApi();
        api.MapCountsApi();
        api.MapCreditsApi();
        ops.MapOperatorApi();
        ops.MapTestApi();
    }
}
