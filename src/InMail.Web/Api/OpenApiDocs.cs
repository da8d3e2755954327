namespace InMail.Web.Api;

/// <summary>
/// What each endpoint takes, for the OpenAPI document: its summary and its body. What a success returns is said by the
/// handler's result type (<see cref="Answer{TView}"/>, <see cref="CreatedAnswer{TView}"/>, <c>NoContent</c>), once; the
/// problems each may answer with, the headers and the security are added by <see cref="OpenApiContract"/>.
/// </summary>
internal static class OpenApiDocs
{
    public static RouteHandlerBuilder Doc(this RouteHandlerBuilder builder, string summary) => builder.WithSummary(summary);

    /// <summary>An endpoint that reads a JSON <typeparamref name="TIn"/>.</summary>
    public static RouteHandlerBuilder DocIn<TIn>(this RouteHandlerBuilder builder, string summary)
        where TIn : notnull =>
        builder.WithSummary(summary).Accepts<TIn>("application/json");

    /// <summary>An endpoint that writes JSON of no view type of its own (the operator's catalog and state dumps).</summary>
    public static RouteHandlerBuilder DocAnyJson(this RouteHandlerBuilder builder, string summary) =>
        builder.WithSummary(summary).Produces<object>(StatusCodes.Status200OK);

    /// <summary>An endpoint that streams a CSV file.</summary>
    public static RouteHandlerBuilder DocCsv(this RouteHandlerBuilder builder, string summary) =>
        builder.WithSummary(summary).Produces<string>(StatusCodes.Status200OK, "text/csv");
}
