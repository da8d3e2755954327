namespace InMail.Web.Api;

/// <summary>What each endpoint takes and returns, for the OpenAPI document: the problems each may answer with, the headers and the security are added by <see cref="OpenApiContract"/>.</summary>
internal static class OpenApiDocs
{
    public static RouteHandlerBuilder Doc(this RouteHandlerBuilder builder, string summary, int status = StatusCodes.Status200OK) =>
        builder.WithSummary(summary).Produces(status);

    public static RouteHandlerBuilder Doc<TOut>(this RouteHandlerBuilder builder, string summary, int status = StatusCodes.Status200OK) =>
        builder.WithSummary(summary).Produces<TOut>(status);

    public static RouteHandlerBuilder Doc<TIn, TOut>(this RouteHandlerBuilder builder, string summary, int status = StatusCodes.Status200OK)
        where TIn : notnull =>
        builder.WithSummary(summary).Accepts<TIn>("application/json").Produces<TOut>(status);

    /// <summary>An endpoint that streams a CSV file.</summary>
    public static RouteHandlerBuilder DocCsv(this RouteHandlerBuilder builder, string summary) =>
        builder.WithSummary(summary).Produces<string>(StatusCodes.Status200OK, "text/csv");

    public static RouteHandlerBuilder DocIn<TIn>(this RouteHandlerBuilder builder, string summary, int status)
        where TIn : notnull =>
        builder.WithSummary(summary).Accepts<TIn>("application/json").Produces(status);
}
