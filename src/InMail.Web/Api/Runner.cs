using System.Text.Json;
using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>
/// The one path every endpoint takes to the engine: read and check the body, build the command,
/// carry it out through the store (with the client's Idempotency-Key), and answer with a view or a
/// problem. Queries run under the store's read lock and build their views there. A presenter gets
/// the command's own result type (<see cref="Command{TResult}"/>) and makes the endpoint's view.
/// </summary>
public sealed class Runner(CommandStore store)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public CommandStore Store => store;

    /// <summary>Runs a command built from the route alone; a success is a 200 with <paramref name="present"/>'s view of its result.</summary>
    public async Task<Results<Answer<TView>, ProblemResult>> Command<TResult, TView>(HttpContext context, Command<TResult> command,
        Func<InMailEngine, DateTimeOffset, TResult, TView> present)
        where TResult : notnull
        where TView : notnull
    {
        var (answer, problem) = await RunAsync(context, command, present);
        return problem is null ? new Answer<TView>(answer!) : problem;
    }

    /// <summary>Reads a <typeparamref name="TBody"/>, builds a command from it, and runs it: a 200 with the view.</summary>
    public async Task<Results<Answer<TView>, ProblemResult>> Command<TBody, TResult, TView>(HttpContext context, Func<TBody, Principal, Command<TResult>> build,
        Func<InMailEngine, DateTimeOffset, TResult, TView> present)
        where TBody : class
        where TResult : notnull
        where TView : notnull
    {
        var (command, problem) = await BuildAsync(context, Built(build));
        return problem ?? await Command(context, command!, present);
    }

    /// <summary>
    /// Runs a command built from the route alone that creates something: a 201 with the view, whose <c>Location</c>
    /// <paramref name="location"/> reads from the answer's JSON, so a replay the database answered has the same one.
    /// </summary>
    public async Task<Results<CreatedAnswer<TView>, ProblemResult>> Create<TResult, TView>(HttpContext context, Command<TResult> command,
        Func<InMailEngine, DateTimeOffset, TResult, TView> present, Func<JsonElement, string> location)
        where TResult : notnull
        where TView : notnull
    {
        ArgumentNullException.ThrowIfNull(location);
        var (answer, problem) = await RunAsync(context, command, present);
        if (problem is not null)
        {
            return problem;
        }
        using var json = answer!.Stored is { } stored
            ? JsonDocument.Parse(stored.Json ?? "null")
            : JsonSerializer.SerializeToDocument(answer.View, ApiJson.Options);
        return new CreatedAnswer<TView>(answer, location(json.RootElement));
    }

    /// <summary>Like <see cref="Create{TResult, TView}"/>, for a command built from a <typeparamref name="TBody"/>.</summary>
    public Task<Results<CreatedAnswer<TView>, ProblemResult>> Create<TBody, TResult, TView>(HttpContext context, Func<TBody, Principal, Command<TResult>> build,
        Func<InMailEngine, DateTimeOffset, TResult, TView> present, Func<JsonElement, string> location)
        where TBody : class
        where TResult : notnull
        where TView : notnull =>
        CreateAsync(context, Built(build), present, location);

    /// <summary>Like <see cref="Create{TResult, TView}"/>, for a command whose building may refuse or reads the database (the files a send names).</summary>
    public async Task<Results<CreatedAnswer<TView>, ProblemResult>> CreateAsync<TBody, TResult, TView>(HttpContext context,
        Func<TBody, Principal, Task<Outcome<Command<TResult>>>> build, Func<InMailEngine, DateTimeOffset, TResult, TView> present, Func<JsonElement, string> location)
        where TBody : class
        where TResult : notnull
        where TView : notnull
    {
        var (command, problem) = await BuildAsync(context, build);
        return problem ?? await Create(context, command!, present, location);
    }

    /// <summary>Runs a command built from the route alone whose success has nothing to say: a 204.</summary>
    public async Task<Results<NoContent, ProblemResult>> NoContent<TResult>(HttpContext context, Command<TResult> command)
        where TResult : notnull
    {
        // The result itself is what an idempotent retry is given back; a 204 never shows it.
        var (_, problem) = await RunAsync(context, command, (_, _, result) => result);
        return problem is null ? TypedResults.NoContent() : problem;
    }

    /// <summary>Like <see cref="NoContent{TResult}(HttpContext, Command{TResult})"/>, for a command built from a <typeparamref name="TBody"/>.</summary>
    public async Task<Results<NoContent, ProblemResult>> NoContent<TBody, TResult>(HttpContext context, Func<TBody, Principal, Command<TResult>> build)
        where TBody : class
        where TResult : notnull
    {
        var (command, problem) = await BuildAsync(context, Built(build));
        return problem ?? await NoContent(context, command!);
    }

    /// <summary>Answers a query from the engine as this process knows it (after applying other processes' commands).</summary>
    public async Task<Results<Answer<TView>, ProblemResult>> Query<TView>(HttpContext context, Func<InMailEngine, DateTimeOffset, Outcome<TView>> query)
        where TView : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = await store.ReadAsync(query, context.RequestAborted);
        return outcome.IsSuccess ? new Answer<TView>(outcome.Value) : Problems.Refused(outcome.Refusal);
    }

    /// <summary>The refusal for acting on someone else's resources.</summary>
    public static ProblemResult NotYours(string what) =>
        Problems.Of(StatusCodes.Status403Forbidden, "forbidden", $"You can only see and change your own {what}.");

    /// <summary>Path ids may say <c>me</c> for the signed-in member.</summary>
    public static string Resolve(string id, Principal who) => id == "me" ? who.Member : id;

    /// <summary>Carries a command out for the signed-in member with the request's Idempotency-Key: the presented answer, or the problem.</summary>
    private async Task<(Presented<TView>? Answer, ProblemResult? Problem)> RunAsync<TResult, TView>(HttpContext context, Command<TResult> command,
        Func<InMailEngine, DateTimeOffset, TResult, TView> present)
        where TResult : notnull
        where TView : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        var keys = context.Request.Headers[IdempotencyKeyHeader];
        if (keys.Count > 1)
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Send one Idempotency-Key header."));
        }
        var key = keys.Count == 1 ? keys[0] : null;
        // Once queued, a request runs even if the client goes away: the answer is then ready for its retry.
        var outcome = await store.ExecuteAsync(command, context.Who().Member, key, present, cancellationToken: context.RequestAborted);
        if (!outcome.IsSuccess)
        {
            return (null, Problems.Refused(outcome.Refusal));
        }
        if (outcome.Value.Replayed)
        {
            context.Response.Headers[ReplayedHeader] = "true";
        }
        return (outcome.Value, null);
    }

    /// <summary>Reads the body and builds the command from it: the command, or the problem with the body or the refusal to build it.</summary>
    private static async Task<(Command<TResult>? Command, ProblemResult? Problem)> BuildAsync<TBody, TResult>(HttpContext context,
        Func<TBody, Principal, Task<Outcome<Command<TResult>>>> build)
        where TBody : class
        where TResult : notnull
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(build);
        var (body, problem) = await ApiJson.ReadAsync<TBody>(context.Request);
        if (problem is not null)
        {
            return (null, problem);
        }
        var command = await build(body!, context.Who());
        return command.IsSuccess ? (command.Value, null) : (null, Problems.Refused(command.Refusal));
    }

    private static Func<TBody, Principal, Task<Outcome<Command<TResult>>>> Built<TBody, TResult>(Func<TBody, Principal, Command<TResult>> build)
        where TResult : notnull
    {
        ArgumentNullException.ThrowIfNull(build);
        return (body, who) => Task.FromResult<Outcome<Command<TResult>>>(build(body, who));
    }
}
