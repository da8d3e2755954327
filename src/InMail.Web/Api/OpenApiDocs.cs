namespace InMail.Web.Api;

/// <summary>What each endpoint takes and returns, for the OpenAPI document: every endpoint may answer with a problem.</summary>
internal static class OpenApiDocs
{
    public static RouteHandlerBuilder Doc(this RouteHandlerBuilder builder, string summary, int status = StatusCodes.Status200OK) =>
        builder.WithSummary(summary).Produces(status).Problems();

    public static RouteHandlerBuilder Doc<TOut>(this RouteHandlerBuilder builder, string summary, int status = StatusCodes.Status200OK) =>
        builder.WithSummary(summary).Produces<TOut>(status).Problems();

    public static RouteHandlerBuilder Doc<TIn, TOut>(this RouteHandlerBuilder builder, string summary, int status = StatusCodes.Status200OK)
        where TIn : notnull =>
        builder.WithSummary(summary).Accepts<TIn>("application/json").Produces<TOut>(status).Problems();

    public static RouteHandlerBuilder DocIn<TIn>(this RouteHandlerBuilder builder, string summary, int status)
        where TIn : notnull =>
        builder.WithSummary(summary).Accepts<TIn>("application/json").Produces(status).Problems();

    private static RouteHandlerBuilder Problems(this RouteHandlerBuilder builder) =>
        builder.Produces<ProblemBody>(StatusCodes.Status400BadRequest, Api.Problems.ContentType)
            .Produces<ProblemBody>(StatusCodes.Status401Unauthorized, Api.Problems.ContentType)
            .Produces<ProblemBody>(StatusCodes.Status403Forbidden, Api.Problems.ContentType)
            .Produces<ProblemBody>(StatusCodes.Status404NotFound, Api.Problems.ContentType)
            .Produces<ProblemBody>(StatusCodes.Status409Conflict, Api.Problems.ContentType)
            .Produces<ProblemBody>(StatusCodes.Status422UnprocessableEntity, Api.Problems.ContentType)
            .Produces<ProblemBody>(StatusCodes.Status429TooManyRequests, Api.Problems.ContentType);
}
