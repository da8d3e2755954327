using System.Reflection;
using InMail.Storage;
using Microsoft.AspNetCore.Http.Metadata;

namespace InMail.Web.Api;

/// <summary>
/// A 200 whose body is a <typeparamref name="TView"/> as JSON: a query's view, or a command's. A retry whose first answer
/// came back from the database (decision 007) sends that answer's JSON as it was first sent. The type tells the OpenAPI
/// document what the endpoint answers with, so the endpoint does not say it again.
/// </summary>
/// <typeparam name="TView">The view the body holds.</typeparam>
public sealed class Answer<TView> : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
    where TView : notnull
{
    private readonly Presented<TView> _answer;

    /// <summary>Answers with a view made now.</summary>
    public Answer(TView view) => _answer = Presented<TView>.Live(view, replayed: false);

    internal Answer(Presented<TView> answer) => _answer = answer;

    /// <summary>Always 200.</summary>
    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteAsync(HttpContext httpContext) => AnswerBody.WriteAsync(httpContext, StatusCode, _answer);

    /// <summary>Says, for the OpenAPI document, that a success is a 200 with a <typeparamref name="TView"/>.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => AnswerBody.Describe<TView>(builder, StatusCodes.Status200OK);
}

/// <summary>
/// A 201 whose body is the created <typeparamref name="TView"/> as JSON and whose <c>Location</c> says where it is read,
/// on a replay too (see <see cref="Answer{TView}"/> for replays the database answered).
/// </summary>
/// <typeparam name="TView">The view the body holds.</typeparam>
public sealed class CreatedAnswer<TView> : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
    where TView : notnull
{
    private readonly Presented<TView> _answer;

    /// <summary>Answers with a view made now of what was created at <paramref name="location"/>.</summary>
    public CreatedAnswer(TView view, string location)
        : this(Presented<TView>.Live(view, replayed: false), location)
    {
    }

    internal CreatedAnswer(Presented<TView> answer, string location)
    {
        _answer = answer;
        Location = location;
    }

    /// <summary>Where the created resource is read.</summary>
    public string Location { get; }

    /// <summary>Always 201.</summary>
    public int StatusCode => StatusCodes.Status201Created;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        httpContext.Response.Headers.Location = Location;
        return AnswerBody.WriteAsync(httpContext, StatusCode, _answer);
    }

    /// <summary>Says, for the OpenAPI document, that a success is a 201 with a <typeparamref name="TView"/>.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => AnswerBody.Describe<TView>(builder, StatusCodes.Status201Created);
}

/// <summary>How <see cref="Answer{TView}"/> and <see cref="CreatedAnswer{TView}"/> write their body and describe it.</summary>
internal static class AnswerBody
{
    public static Task WriteAsync<TView>(HttpContext context, int status, Presented<TView> answer)
        where TView : notnull =>
        // A retry whose first answer came back from the database gets that answer as it was.
        (answer.Stored is { } stored
            ? Results.Content(stored.Json ?? "null", "application/json", statusCode: status)
            : Results.Json(answer.View, ApiJson.Options, statusCode: status)).ExecuteAsync(context);

    public static void Describe<TView>(EndpointBuilder builder, int status)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(TView), ["application/json"]));
    }
}
