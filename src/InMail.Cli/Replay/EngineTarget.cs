using System.Text.Json.Nodes;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Inspection;
using InMail.Domain.Messaging;

namespace InMail.Cli.Replay;

/// <summary>Runs scenario steps on a fresh in-memory engine: each step other than <c>quote</c> is a <see cref="Command"/>.</summary>
public sealed class EngineTarget(PlanCatalog catalog) : IScenarioTarget
{
    /// <summary>Fields a step may carry that state what to check, not what to do.</summary>
    private static readonly HashSet<string> Expectations = new(StringComparer.Ordinal) { "expect", "path", "cost" };

    public InMailEngine Engine { get; } = new(catalog);

    public ValueTask<StepResult> RunAsync(Step step, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(step);
        if (step.Verb == "quote")
        {
            var quote = Engine.Quote(step.At, DraftOf(step));
            return ValueTask.FromResult(quote.IsSuccess ? StepResult.Ok(quote.Value.Path.ToName(), quote.Value.Cost) : Refused(quote.Refusal));
        }
        if (step.Verb == "coach")
        {
            var report = Engine.CoachDraft(step.At, DraftOf(step));
            return ValueTask.FromResult(report.IsSuccess ? StepResult.Ok() with { Findings = report.Value.Findings.Select(f => f.Code).ToList() } : Refused(report.Refusal));
        }
        var outcome = ToCommand(step).Apply(Engine, step.At);
        return ValueTask.FromResult(outcome switch
        {
            { IsSuccess: false } => Refused(outcome.Refusal),
            { Value: Sent sent } => StepResult.Ok(sent.Quote.Path.ToName(), sent.Quote.Cost),
            _ => StepResult.Ok(),
        });
    }

    public ValueTask<MemberCredits?> InspectAsync(DateTimeOffset at, string member, CancellationToken cancellationToken)
    {
        var view = Engine.Credits(at, member);
        return ValueTask.FromResult(view.IsSuccess
            ? new MemberCredits(view.Value.Usable, view.Value.Frozen, view.Value.Lots.Select(l => new LotView(l.Source.ToName(), l.Remaining, l.Expires)).ToList())
            : null);
    }

    public ValueTask RunDueAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        // One at a time: running one cannot make another due earlier, but it is re-read so the order is always the engine's.
        while (Engine.DueWork(at) is { Count: > 0 } due)
        {
            var next = due[0];
            var ran = next.ToCommand().Apply(Engine, next.At);
            if (!ran.IsSuccess)
            {
                throw new InvalidOperationException($"due work {next} did not run: {ran.Refusal}");
            }
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<ScheduleCheck?> InspectScheduleAsync(DateTimeOffset at, string member, string id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Engine.State.FindMember(member)?.Schedules.GetValueOrDefault(id) is { } x
            ? new ScheduleCheck(Domain.Outreach.ScheduleNames.ToName(x.Status), x.Code, x.MessageId)
            : null);

    public ValueTask<IReadOnlyList<(string Kind, DateTimeOffset At)>?> InspectNotificationsAsync(DateTimeOffset at, string member, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Engine.Notifications(at, member) is { IsSuccess: true } list ? list.Value.Select(n => (n.Kind, n.At)).ToList() : (IReadOnlyList<(string, DateTimeOffset)>?)null);

    public ValueTask<IReadOnlyList<string>?> InspectInboxAsync(DateTimeOffset at, string member, string? label, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Engine.Inbox(at, member, label) is { IsSuccess: true } inbox ? inbox.Value : null);

    public ValueTask<EnrollmentCheck?> InspectEnrollmentAsync(DateTimeOffset at, string member, string sequence, string to, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Engine.State.FindMember(member)?.Sequences.GetValueOrDefault(sequence)?.EnrollmentOf(to) is { } e
            ? new EnrollmentCheck(Domain.Outreach.EnrollmentNames.ToName(e.Status), e.StepsSent, e.Reason, e.Variant?.ToString())
            : null);

    public ValueTask<string?> FingerprintAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        return ValueTask.FromResult<string?>(StateJson.Snapshot(Engine, at, includeActivity: true));
    }

    /// <summary>A step is a command once its expectations are taken off: the same JSON the service logs.</summary>
    public static Command ToCommand(Step step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var json = new JsonObject { ["do"] = step.Verb };
        foreach (var (name, value) in step.Fields)
        {
            if (!Expectations.Contains(name))
            {
                json[name] = JsonNode.Parse(value.GetRawText());
            }
        }
        return CommandJson.Read(json.ToJsonString());
    }

    private static Draft DraftOf(Step step) => new(step.Require("from"), step.Require("to"), step.Text("subject"), step.Text("body"), step.Text("template"));

    private static StepResult Refused(Refusal r) => StepResult.Refused(r.CodeText, r.Message);
}
