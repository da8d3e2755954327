using System.Text.Json;
using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>
/// The one path every endpoint takes to the engine: read and check the body, build the command,
/// carry it out through the store (with the client's Idempotency-Key), and answer with a view or a
/// problem. Queries run under the store's read lock and build their views there.
/// </summary>
public sealed class Runner(CommandStore store)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public CommandStore Store => store;

    /// <summary>Reads a <typeparamref name="TBody"/>, builds a command from it, and runs it.</summary>
    public Task<IResult> Command<TBody>(HttpContext context, Func<TBody, Principal, Outcome<Command>> build,
        Func<InMailEngine, DateTimeOffset, object, object> present, int status = StatusCodes.Status200OK, Func<JsonElement, string>? location = null)
        where TBody : class
    {
        ArgumentNullException.ThrowIfNull(build);
        return CommandAsync<TBody>(context, (body, who) => Task.FromResult(build(body, who)), present, status, location);
    }

    /// <summary>Like <see cref="Command{TBody}(HttpContext, Func{TBody, Principal, Outcome{Command}}, Func{InMailEngine, DateTimeOffset, object, object}, int, Func{JsonElement, string}?)"/>, for a command whose building reads the database (the files a send names).</summary>
    public async Task<IResult> CommandAsync<TBody>(HttpContext context, Func<TBody, Principal, Task<Outcome<Command>>> build,
        Func<InMailEngine, DateTimeOffset, object, object> present, int status = StatusCodes.Status200OK, Func<JsonElement, string>? location = null)
        where TBody : class
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(build);
        var (body, problem) = await ApiJson.ReadAsync<TBody>(context.Request);
        if (problem is not null)
        {
            return problem;
        }
        var command = await build(body!, context.Who());
        return command.IsSuccess ? await Command(context, command.Value, present, status, location) : Problems.Refused(command.Refusal);
    }

    /// <summary>
    /// Runs a command built from the route alone. A <paramref name="location"/> names, from the answer,
    /// where the created resource is read (the <c>Location</c> of a 201, on a replay too).
    /// </summary>
    public async Task<IResult> Command(HttpContext context, Command command, Func<InMailEngine, DateTimeOffset, object, object> present,
        int status = StatusCodes.Status200OK, Func<JsonElement, string>? location = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var keys = context.Request.Headers[IdempotencyKeyHeader];
        if (keys.Count > 1)
        {
            return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Send one Idempotency-Key header.");
        }
        var key = keys.Count == 1 ? keys[0] : null;
        // Once queued, a request runs even if the client goes away: the answer is then ready for its retry.
        var outcome = await store.ExecuteAsync(command, context.Who().Member, key, present: present, cancellationToken: context.RequestAborted);
        if (!outcome.IsSuccess)
        {
            return Problems.Refused(outcome.Refusal);
        }
        if (outcome.Value.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }
        if (status == StatusCodes.Status204NoContent)
        {
            return Results.NoContent();
        }
        if (location is not null)
        {
            using var answer = outcome.Value.Value is StoredResult json
                ? JsonDocument.Parse(json.Json ?? "null")
                : JsonSerializer.SerializeToDocument(outcome.Value.Value, ApiJson.Options);
            context.Response.Headers.Location = location(answer.RootElement);
        }
        // A retry whose first answer came back from the database (decision 007) gets that answer as it was.
        return outcome.Value.Value is StoredResult stored
            ? Results.Content(stored.Json ?? "null", "application/json", statusCode: status)
            : Results.Json(outcome.Value.Value, ApiJson.Options, statusCode: status);
    }

    /// <summary>Answers a query from the engine as this process knows it (after applying other processes' commands).</summary>
    public async Task<IResult> Query(HttpContext context, Func<InMailEngine, DateTimeOffset, Outcome<object>> query)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = await store.ReadAsync(query, context.RequestAborted);
        return outcome.IsSuccess ? Results.Json(outcome.Value, ApiJson.Options) : Problems.Refused(outcome.Refusal);
    }

    /// <summary>The refusal for acting on someone else's resources.</summary>
    public static ProblemResult NotYours(string what) =>
        Problems.Of(StatusCodes.Status403Forbidden, "forbidden", $"You can only see and change your own {what}.");

    /// <summary>Path ids may say <c>me</c> for the signed-in member.</summary>
    public static string Resolve(string id, Principal who) => id == "me" ? who.Member : id;
}
