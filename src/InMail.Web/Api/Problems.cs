using System.Text.Json;
using InMail.Domain;

namespace InMail.Web.Api;

/// <summary>
/// Every refusal as an RFC 9457 problem: <c>application/problem+json</c> with the SPEC §7 code in
/// <c>code</c> and in the <c>type</c> URI, a status that says what kind of refusal it is, and the
/// request id so a user's report can be matched to the logs.
/// </summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";
    public const string TypeBase = "https://inmail.dev/problems/";

    /// <summary>The HTTP status of each SPEC §7 code.</summary>
    public static int StatusOf(RefusalCode code) => code switch
    {
        RefusalCode.UnknownMember or RefusalCode.UnknownMessage or RefusalCode.UnknownTeam or RefusalCode.InvitationNotFound
            or RefusalCode.NoSubscription or RefusalCode.UnknownTemplate or RefusalCode.UnknownSchedule or RefusalCode.UnknownSequence
            or RefusalCode.NotEnrolled or RefusalCode.UnknownConversation => StatusCodes.Status404NotFound,
        RefusalCode.InvalidInput or RefusalCode.SubjectRequired or RefusalCode.SubjectTooLong or RefusalCode.BodyRequired
            or RefusalCode.BodyTooLong or RefusalCode.NoteTooLong or RefusalCode.InvalidCharacters or RefusalCode.InvalidTemplate
            or RefusalCode.InvalidSequence => StatusCodes.Status400BadRequest,
        RefusalCode.AlreadySubscribed or RefusalCode.AlreadyConnected or RefusalCode.InvitationPending or RefusalCode.IdempotencyConflict
            or RefusalCode.TeamSeatConflict or RefusalCode.ScheduleNotPending or RefusalCode.AlreadyEnrolled => StatusCodes.Status409Conflict,
        RefusalCode.DailyLimitReached or RefusalCode.RecipientLimitReached or RefusalCode.WeeklyInviteLimit or RefusalCode.NoteLimitReached
            or RefusalCode.ReinviteTooSoon or RefusalCode.SeatCapReached => StatusCodes.Status429TooManyRequests,
        RefusalCode.LabelLimitReached => StatusCodes.Status409Conflict,
        RefusalCode.NotTheRecipient => StatusCodes.Status403Forbidden,
        _ => StatusCodes.Status422UnprocessableEntity,
    };

    public static ProblemResult Refused(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Of(StatusOf(refusal.Code), refusal.CodeText, refusal.Message);
    }

    /// <summary>A problem with a code of the API's own (not a SPEC §7 refusal): forbidden, unauthenticated, invalid-json…</summary>
    public static ProblemResult Of(int status, string code, string detail) => new(status, code, detail);

    /// <summary>Writes a problem outside an endpoint (authentication, rate limiting, the exception handler).</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Of(status, code, detail).ExecuteAsync(context);
    }

    public static string Title(int status) => status switch
    {
        400 => "The request is not valid",
        401 => "Sign in first",
        403 => "Not allowed",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "The request is too large",
        414 => "The address is too long",
        415 => "Send JSON",
        422 => "Refused",
        429 => "Too many requests",
        431 => "The headers are too large",
        503 => "The service is unavailable right now",
        _ => "Error",
    };
}

/// <summary>An RFC 9457 problem response with InMail's <c>code</c> extension.</summary>
public sealed class ProblemResult(int status, string code, string detail) : IResult, IStatusCodeHttpResult, IContentTypeHttpResult
{
    public int StatusCode => status;
    int? IStatusCodeHttpResult.StatusCode => status;
    public string ContentType => Problems.ContentType;
    public string Code => code;
    public string Detail => detail;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = status;
        response.ContentType = Problems.ContentType;
        var body = new ProblemBody(Problems.TypeBase + code, Problems.Title(status), status, detail, code, httpContext.TraceIdentifier,
            httpContext.Request.Path.Value);
        await JsonSerializer.SerializeAsync(response.Body, body, ApiJson.Options, httpContext.RequestAborted);
    }
}

/// <summary>The body of a problem response.</summary>
public sealed record ProblemBody(string Type, string Title, int Status, string Detail, string Code, string RequestId, string? Instance);

