namespace InMail.Cli.Replay;

/// <summary>What a step did: refused with a code, or carried out along a path at a cost.</summary>
public sealed record StepResult(string? Refusal, string? Message, string? Path, int? Cost)
{
    /// <summary>The coach's finding codes, in order, for a <c>coach</c> step.</summary>
    public IReadOnlyList<string>? Findings { get; init; }

    public static StepResult Ok(string? path = null, int? cost = null) => new(null, null, path, cost);

    public static StepResult Refused(string code, string message) => new(code, message, null, null);
}

/// <summary>A live lot as <c>expect</c> sees it.</summary>
public sealed record LotView(string Source, int Remaining, DateTimeOffset Expires);

/// <summary>A scheduled send as <c>expect</c> sees it: its status, and once it ran, its refusal code or message.</summary>
public sealed record ScheduleCheck(string Status, string? Code, string? Message);

/// <summary>A sequence enrolment as <c>expect</c> sees it: status, steps sent, why it stopped, and its A/B variant.</summary>
public sealed record EnrollmentCheck(string Status, int Step, string? Reason, string? Variant);

/// <summary>A member's credits as <c>expect</c> sees them.</summary>
public sealed record MemberCredits(int Credits, int Frozen, IReadOnlyList<LotView> Lots);

/// <summary>
/// Where a scenario runs: the in-memory engine (<see cref="EngineTarget"/>), or a server in test
/// mode through its HTTP API (<see cref="HttpTarget"/>). The runner knows the checks; a target only
/// carries steps out and reports what it sees, so both are held to exactly the same checks.
/// </summary>
public interface IScenarioTarget
{
    /// <summary>Carries out a step other than <c>expect</c> at the step's instant.</summary>
    ValueTask<StepResult> RunAsync(Step step, CancellationToken cancellationToken);

    /// <summary>Reads a member's credits at <paramref name="at"/>; null when the member is unknown.</summary>
    ValueTask<MemberCredits?> InspectAsync(DateTimeOffset at, string member, CancellationToken cancellationToken);

    /// <summary>Runs the due work (scheduled sends) that falls due by <paramref name="at"/>, each at its own instant, before a step at <paramref name="at"/>.</summary>
    ValueTask RunDueAsync(DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>One of a member's scheduled sends at <paramref name="at"/>; null when they have none by that id.</summary>
    ValueTask<ScheduleCheck?> InspectScheduleAsync(DateTimeOffset at, string member, string id, CancellationToken cancellationToken);

    /// <summary>A member's notifications at <paramref name="at"/>, oldest first, as (kind, instant).</summary>
    ValueTask<IReadOnlyList<(string Kind, DateTimeOffset At)>?> InspectNotificationsAsync(DateTimeOffset at, string member, CancellationToken cancellationToken);

    /// <summary>A member's active inbox at <paramref name="at"/>, most recent first, as the other members' ids; with <paramref name="label"/>, only conversations carrying it.</summary>
    ValueTask<IReadOnlyList<string>?> InspectInboxAsync(DateTimeOffset at, string member, string? label, CancellationToken cancellationToken);

    /// <summary>A recipient's enrolment (the active one, else the latest) in one of a member's sequences at <paramref name="at"/>; null when there is none.</summary>
    ValueTask<EnrollmentCheck?> InspectEnrollmentAsync(DateTimeOffset at, string member, string sequence, string to, CancellationToken cancellationToken);

    /// <summary>A fingerprint of the whole state at <paramref name="at"/>, to prove a refusal changed nothing; null if the target cannot tell.</summary>
    ValueTask<string?> FingerprintAsync(DateTimeOffset at, CancellationToken cancellationToken);
}
