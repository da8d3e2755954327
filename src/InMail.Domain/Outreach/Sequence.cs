using InMail.Domain.Messaging;

namespace InMail.Domain.Outreach;

/// <summary>
/// One step of a sequence as a member writes it (SPEC §10): the day it runs (counted from
/// enrolment), and either one template or two (<see cref="Variants"/>, an A/B test).
/// </summary>
/// <param name="Day">The day the step runs, counted from enrolment: 0 for step 1, then strictly increasing, at most 365.</param>
/// <param name="Template">The one template the step sends.</param>
/// <param name="Variants">Two distinct templates instead, A and B, sent to alternate enrolments.</param>
public sealed record SequenceStepSpec(int Day, string? Template = null, IReadOnlyList<string>? Variants = null);

/// <summary>A checked step: its day and its one or two templates (A, then B).</summary>
/// <param name="Day">The day the step runs, counted from enrolment.</param>
/// <param name="Templates">One template, or two for an A/B step (A first).</param>
public sealed record SequenceStep(int Day, IReadOnlyList<string> Templates)
{
    /// <summary>True when the step names two templates, A and B, each sent to alternate enrolments.</summary>
    public bool IsAbTest => Templates.Count == 2;

    /// <summary>The template an enrolment with <paramref name="variant"/> sends at this step.</summary>
    public string TemplateFor(char? variant) => IsAbTest && variant == 'B' ? Templates[1] : Templates[0];
}

/// <summary>One row of a sequence's results: a step (1-based), its variant at an A/B step, and what it did.</summary>
/// <param name="Step">The step's number, 1 first.</param>
/// <param name="Day">Its day, counted from enrolment.</param>
/// <param name="Variant"><c>A</c> or <c>B</c> at an A/B step; null otherwise.</param>
/// <param name="Template">The template the step (or variant) sends.</param>
/// <param name="Sent">Messages the step sent.</param>
/// <param name="Replied">Recipients whose first response came while this was the last step sent to them.</param>
/// <param name="Positive">Of those, the ones whose enrolment was positive (accepted, or marked by the sender).</param>
/// <param name="CreditsSpent">Credits the step's sends cost.</param>
/// <param name="CreditsRefunded">Of those, credits that came back.</param>
public sealed record StepResult(int Step, int Day, string? Variant, string Template, int Sent, int Replied, int Positive, int CreditsSpent, int CreditsRefunded);

/// <summary>Where an enrolment stands (SPEC §10).</summary>
public enum EnrollmentStatus
{
    /// <summary>Steps are still to run.</summary>
    Active,

    /// <summary>Every step was sent.</summary>
    Finished,

    /// <summary>Stopped before its last step, for <see cref="Enrollment.Reason"/>.</summary>
    Stopped,
}

/// <summary>The wire names of <see cref="EnrollmentStatus"/> and the stop reasons that are not refusal codes.</summary>
public static class EnrollmentNames
{
    /// <summary>Stopped because the recipient wrote to the sender since enrolment: the sequence did its job.</summary>
    public const string Responded = "responded";

    /// <summary>Stopped because either member blocked the other.</summary>
    public const string Blocked = "blocked";

    /// <summary>Stopped because the recipient reported one of its steps as spam.</summary>
    public const string Reported = "reported";

    /// <summary>Stopped because the member unenrolled the recipient.</summary>
    public const string Unenrolled = "unenrolled";

    /// <summary>Stopped because the sequence's net credits reached its budget before a step that would cost one.</summary>
    public const string BudgetExhausted = "budget-exhausted";

    /// <summary>The status's wire name: <c>active</c>, <c>finished</c> or <c>stopped</c>.</summary>
    public static string ToName(this EnrollmentStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>Reads a status's wire name (lower case only); false for anything else.</summary>
    public static bool TryParse(string? name, out EnrollmentStatus status) =>
        Enum.TryParse(name, ignoreCase: true, out status) && status.ToName() == name;
}

/// <summary>
/// A member's follow-up sequence (SPEC §10): its steps, whether they go in the recipient's best
/// window, an optional credit budget, and every enrolment it ever had, in enrolment order.
/// </summary>
public sealed class Sequence
{
    private readonly List<Enrollment> _enrollments = [];

    internal Sequence(string id, string owner, IReadOnlyList<SequenceStep> steps, bool bestWindow, int? budget, DateTimeOffset createdAt)
    {
        Id = id;
        Owner = owner;
        Steps = steps;
        BestWindow = bestWindow;
        Budget = budget;
        CreatedAt = createdAt;
    }

    /// <summary>The id the member gave it, unique among their sequences.</summary>
    public string Id { get; }

    /// <summary>The member whose sequence it is, and who sends its steps.</summary>
    public string Owner { get; }

    /// <summary>The checked steps, in order: days strictly increasing from day 0.</summary>
    public IReadOnlyList<SequenceStep> Steps { get; }

    /// <summary>True when each step is moved to the recipient's next best window after its day comes.</summary>
    public bool BestWindow { get; }

    /// <summary>The most net credits (spent minus refunded) the sequence may take; null for no budget.</summary>
    public int? Budget { get; }

    /// <summary>When the sequence was first saved.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>True when a step is an A/B pair, so each enrolment gets a variant.</summary>
    public bool HasAbTest => Steps.Any(s => s.IsAbTest);

    /// <summary>Every enrolment the sequence ever had, active or ended, in enrolment order.</summary>
    public IReadOnlyList<Enrollment> Enrollments => _enrollments;

    /// <summary>Credits the sequence's steps spent.</summary>
    public int CreditsSpent => _enrollments.Sum(e => e.Steps.Count(s => s.Charged));

    /// <summary>Credits that came back for the sequence's steps.</summary>
    public int CreditsRefunded => _enrollments.Sum(e => e.Steps.Count(s => s.Refunded));

    /// <summary>What the budget counts: spent minus refunded.</summary>
    public int NetCredits => CreditsSpent - CreditsRefunded;

    /// <summary>How many enrolments still have steps to run; a sequence with any cannot be deleted.</summary>
    public int ActiveEnrollments => _enrollments.Count(e => e.Status == EnrollmentStatus.Active);

    /// <summary>The enrolment of <paramref name="to"/> that is active, or else their latest.</summary>
    public Enrollment? EnrollmentOf(string to) =>
        _enrollments.LastOrDefault(e => e.To == to && e.Status == EnrollmentStatus.Active) ?? _enrollments.LastOrDefault(e => e.To == to);

    internal void Add(Enrollment enrollment) => _enrollments.Add(enrollment);

    /// <summary>
    /// The sequence's results per step and, at an A/B step, per variant (SPEC §10): sent, replied,
    /// positive, credits spent and refunded. A reply counts at the last step sent before it.
    /// </summary>
    public IReadOnlyList<StepResult> Results()
    {
        var results = new List<StepResult>();
        for (var i = 0; i < Steps.Count; i++)
        {
            var step = Steps[i];
            foreach (var variant in step.IsAbTest ? new char?[] { 'A', 'B' } : [null])
            {
                var index = i;
                var sent = _enrollments.SelectMany(e => e.Steps).Where(x => x.Index == index && x.Variant == variant).ToList();
                var answered = _enrollments.Where(e => e.RespondedAt is not null && e.RespondedAfterSteps == index + 1 && (variant is null || e.Variant == variant)).ToList();
                results.Add(new StepResult(i + 1, step.Day, variant?.ToString(), step.TemplateFor(variant), sent.Count, answered.Count, answered.Count(e => e.Positive),
                    sent.Count(x => x.Charged), sent.Count(x => x.Refunded)));
            }
        }
        return results;
    }

    /// <summary>The instant step <paramref name="index"/> (0-based) of an enrolment made at <paramref name="enrolledAt"/> is due, in a recipient zone.</summary>
    internal DateTimeOffset DueOf(int index, DateTimeOffset enrolledAt, string? recipientZone)
    {
        var at = enrolledAt + TimeSpan.FromDays(Steps[index].Day);
        return BestWindow ? Outreach.BestWindow.Next(at, recipientZone) : at;
    }
}

/// <summary>A step an enrolment sent: its message and what became of its credit and its recipient's answer.</summary>
public sealed class StepSent
{
    internal StepSent(int index, char? variant, string messageId, DateTimeOffset at, SendPath path, bool charged)
    {
        Index = index;
        Variant = variant;
        MessageId = messageId;
        At = at;
        Path = path;
        Charged = charged;
    }

    /// <summary>0-based step index.</summary>
    public int Index { get; }

    /// <summary>'A' or 'B' at an A/B step; null at a step with one template.</summary>
    public char? Variant { get; }

    /// <summary>The message the step sent.</summary>
    public string MessageId { get; }

    /// <summary>When the step was sent.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The path the send took (SPEC §4); only a paid InMail costs a credit.</summary>
    public SendPath Path { get; }

    /// <summary>True when the step took a credit (a paid InMail).</summary>
    public bool Charged { get; }

    /// <summary>True once the step's credit came back through the recipient's response.</summary>
    public bool Refunded { get; internal set; }

    /// <summary>Accepted by the recipient, or marked positive (or meeting booked) by the sender (SPEC §9).</summary>
    public bool Positive { get; internal set; }


    /// <summary>True once the recipient reported the step's message as spam.</summary>
    public bool ReportedSpam { get; internal set; }
}

/// <summary>
/// One recipient's way through a sequence (SPEC §10): when they were enrolled, the variant they
/// get, the steps sent so far, when the next is due, and, once it ended, why.
/// </summary>
public sealed class Enrollment
{
    private readonly List<StepSent> _steps = [];

    internal Enrollment(Sequence sequence, string to, int ordinal, DateTimeOffset enrolledAt, char? variant, DateTimeOffset nextDueAt)
    {
        Sequence = sequence;
        To = to;
        Ordinal = ordinal;
        EnrolledAt = enrolledAt;
        Variant = variant;
        NextDueAt = nextDueAt;
    }

    /// <summary>The sequence the recipient is enrolled in.</summary>
    public Sequence Sequence { get; }

    /// <summary>The member who enrolled the recipient: the sequence's owner.</summary>
    public string Owner => Sequence.Owner;

    /// <summary>The recipient's member id.</summary>
    public string To { get; }

    /// <summary>Position in the sequence's enrolments (0-based), which decides the variant.</summary>
    public int Ordinal { get; }

    /// <summary>When the recipient was enrolled; step k is due this instant plus day k × 24 h.</summary>
    public DateTimeOffset EnrolledAt { get; }

    /// <summary>'A' or 'B' when the sequence has an A/B step.</summary>
    public char? Variant { get; }

    /// <summary>Active while steps are still to run, then finished or stopped.</summary>
    public EnrollmentStatus Status { get; private set; } = EnrollmentStatus.Active;

    /// <summary>When the next step runs, while active.</summary>
    public DateTimeOffset? NextDueAt { get; private set; }

    /// <summary>The limit (daily-limit-reached or recipient-limit-reached) the next step waits on, if any.</summary>
    public string? WaitingOn { get; private set; }

    /// <summary>The steps sent so far, in order.</summary>
    public IReadOnlyList<StepSent> Steps => _steps;

    /// <summary>How many steps were sent so far.</summary>
    public int StepsSent => _steps.Count;

    /// <summary>Step 1's rendered subject, for later steps without one ("Re: …").</summary>
    public string? FirstSubject { get; private set; }

    /// <summary>When the recipient first wrote to the sender after enrolment, and how many steps had gone by then.</summary>
    public DateTimeOffset? RespondedAt { get; private set; }

    /// <summary>How many steps had been sent when the recipient first wrote: the step a reply counts at in the results.</summary>
    public int RespondedAfterSteps { get; private set; }

    /// <summary>When it finished (its last step's instant) or stopped; null while active.</summary>
    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>Why it stopped: responded, blocked, reported, unenrolled, budget-exhausted, or a send's refusal code.</summary>
    public string? Reason { get; private set; }

    /// <summary>The sentence of a refusal that stopped it.</summary>
    public string? ReasonMessage { get; private set; }

    /// <summary>True when any step sent was accepted or marked positive by the sender (SPEC §9).</summary>
    public bool Positive => _steps.Any(s => s.Positive);

    internal void Record(StepSent step, string? subject, DateTimeOffset? nextDueAt)
    {
        if (_steps.Count == 0)
        {
            FirstSubject = subject;
        }
        _steps.Add(step);
        WaitingOn = null;
        if (nextDueAt is { } next)
        {
            NextDueAt = next;
        }
        else
        {
            (Status, NextDueAt, EndedAt) = (EnrollmentStatus.Finished, null, step.At);
        }
    }

    internal void Wait(DateTimeOffset until, string code) => (NextDueAt, WaitingOn) = (until, code);

    internal void Stop(DateTimeOffset at, string reason, string? message = null) =>
        (Status, NextDueAt, WaitingOn, EndedAt, Reason, ReasonMessage) = (EnrollmentStatus.Stopped, null, null, at, reason, message);

    internal void NoteResponse(DateTimeOffset at)
    {
        if (RespondedAt is null && at >= EnrolledAt)
        {
            (RespondedAt, RespondedAfterSteps) = (at, _steps.Count);
        }
    }

    /// <summary>Restores an enrolment read back from its owner's document.</summary>
    internal void Restore(EnrollmentStatus status, DateTimeOffset? nextDueAt, string? waitingOn, string? firstSubject,
        DateTimeOffset? respondedAt, int respondedAfterSteps, DateTimeOffset? endedAt, string? reason, string? reasonMessage, IEnumerable<StepSent> steps)
    {
        (Status, NextDueAt, WaitingOn, FirstSubject, RespondedAt, RespondedAfterSteps, EndedAt, Reason, ReasonMessage) =
            (status, nextDueAt, waitingOn, firstSubject, respondedAt, respondedAfterSteps, endedAt, reason, reasonMessage);
        _steps.AddRange(steps);
    }
}
