using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>The HTTP API, version 1: resources under <c>/api/v1</c>, JSON in and out, problems for every refusal.</summary>
public static partial class Endpoints
{
    public static void MapInMailApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var open = app.MapGroup("/api/v1").WithTags("InMail");
        var api = app.MapGroup("/api/v1").RequireAuthorization().WithTags("InMail");
        var ops = app.MapGroup("/api/v1/operator").RequireAuthorization(Authentication.OperatorPolicy).WithTags("Operator");

        MapAccounts(open, api);
        MapCatalog(open, ops);
        MapMembers(api);
        MapNetwork(api);
        MapPlans(api);
        MapTeams(api);
        MapMessaging(api);
        api.MapTemplates();
        api.MapSchedules();
        api.MapSequences();
        api.MapReports();
        api.MapLabels();
        api.MapAttachments();
        api.MapSnoozes();
        api.MapExports(ops);
        api.MapAdvice();
        api.MapOutreachCharts();
        api.MapNotifications();
        api.MapCounts();
        MapCredits(api);
        MapOperator(ops);
        ops.MapTestEndpoints();
    }
}
