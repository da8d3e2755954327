using InMail.Domain.Content;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Outreach;
using InMail.Domain.Time;

namespace InMail.Domain;

/// <summary>One recipient in an enrolment's cost preview: what step 1 would do now, and what the steps may take.</summary>
/// <param name="To">The recipient's member id, as given.</param>
/// <param name="Name">Their name; null for an unknown member.</param>
/// <param name="Path">The path step 1 would take now; null when they cannot be enrolled.</param>
/// <param name="CreditsAtMost">The most credits this recipient's steps may take: one per paid InMail step before the thread limit.</param>
/// <param name="StopsAtStep">
/// The step (1-based) a refusal or the thread limit stops the sequence at; null when nothing foreseen stops it.
/// </param>
/// <param name="Code">The refusal code that stops or prevents it, if any.</param>
/// <param name="Problem">That refusal's sentence, if any.</param>
public sealed record EnrollmentQuoteRow(
    string To,
    string? Name,
    SendPath? Path,
    int CreditsAtMost,
    int? StopsAtStep,
    string? Code,
    string? Problem);

/// <summary>
/// What enrolling recipients in a sequence can cost, before anything is done (SPEC §10): the credits
/// step 1 takes now, what every step may take, what a response brings back, and what would stop it.
/// </summary>
/// <param name="Rows">One row per recipient, in the order given.</param>
/// <param name="CreditsFirstStep">Credits step 1 takes now, over all recipients.</param>
/// <param name="CreditsAtMost">The most credits every step may take, over all recipients.</param>
/// <param name="CreditsAvailable">Credits the member can spend now.</param>
/// <param name="BudgetLeft">Net credits the sequence's budget still allows; null without a budget.</param>
/// <param name="InMailsLeftToday">InMails the member's daily limit still allows in the current 24 hours.</param>
/// <param name="FirstStepAt">When the last of the step 1 sends is due (now, unless the sequence waits for best windows).</param>
/// <param name="Warnings">
/// Sentences on what will stop or limit it: the refund, the budget, the credits, the daily and thread limits.
/// </param>
public sealed record EnrollmentQuote(
    IReadOnlyList<EnrollmentQuoteRow> Rows,
    int CreditsFirstStep,
    int CreditsAtMost,
    int CreditsAvailable,
    int? BudgetLeft,
    int InMailsLeftToday,
    DateTimeOffset FirstStepAt,
    IReadOnlyList<string> Warnings)
{
    /// <summary>True when every row can be enrolled (no unknown member, no one already enrolled).</summary>
    public bool CanEnroll => Rows.All(r => r.Code is null or not ("unknown-member" or "self-message" or "already-enrolled" or "invalid-input"));
}

public sealed partial class InMailEngine
{
    /// <summary>
    /// Saves a sequence (SPEC §10): 1 to <c>SequenceMaxSteps</c> steps, the first on day 0 and the
    /// days strictly increasing, each naming one of the member's templates or two distinct ones (an
    /// A/B pair). A sequence that has had enrolments cannot be changed (its results would no longer
    /// say what was sent); save it under a new id.
    /// </summary>
    public Outcome<Sequence> SaveSequence(DateTimeOffset now, string memberId, string id, IReadOnlyList<SequenceStepSpec>? steps, bool bestWindow, int? budget)
    {
        if (State.FindMember(memberId) is not { } member)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{memberId}'.");
        }
        if (!Identifiers.IsValid(id))
        {
            return Refuse.With(RefusalCode.InvalidInput, Identifiers.Rule("sequence id"));
        }
        var checkedSteps = CheckSteps(member, steps, budget);
        if (!checkedSteps.IsSuccess)
        {
            return checkedSteps.Refusal;
        }
        if (member.Sequences.TryGetValue(id, out var existing))
        {
            if (existing.Enrollments.Count > 0)
            {
                return Refuse.With(RefusalCode.InvalidSequence, $"The sequence '{id}' has enrolments, so its steps stay as they were sent; save the new steps under another id.");
            }
        }
        else if (member.Sequences.Count >= Policy.SequencesPerMember)
        {
            return Refuse.With(RefusalCode.InvalidSequence, $"You keep {Policy.SequencesPerMember} sequences, the most there can be; delete one first.");
        }
        var sequence = new Sequence(id, member.Id, checkedSteps.Value, bestWindow, budget, now);
        member.SaveSequence(sequence);
        return sequence;
    }

    /// <summary>Deletes a sequence and its results; refused while it has active enrolments.</summary>
    public Outcome<Sequence> DeleteSequence(DateTimeOffset now, string memberId, string id)
    {
        _ = now;
        var found = FindSequence(memberId, id);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var sequence = found.Value;
        if (sequence.ActiveEnrollments > 0)
        {
            return Refuse.With(RefusalCode.InvalidSequence, $"The sequence '{id}' has {sequence.ActiveEnrollments} active enrolments; unenrol them first.");
        }
        State.LoadedMember(sequence.Owner).DeleteSequence(sequence);
        return sequence;
    }

    /// <summary>
    /// Enrols recipients in one of the member's sequences (SPEC §10): all of them or, when any
    /// cannot be (<c>unknown-member</c>, <c>self-message</c>, <c>already-enrolled</c>), none. Step 1
    /// runs at once, or in each recipient's best window when the sequence says so.
    /// </summary>
    public Outcome<IReadOnlyList<Enrollment>> Enroll(DateTimeOffset now, string memberId, string sequenceId, IReadOnlyList<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var found = FindSequence(memberId, sequenceId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var sequence = found.Value;
        var owner = State.LoadedMember(sequence.Owner);
        if (recipients.Count == 0 || recipients.Count > Policy.EnrollBatchMax)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"Name between 1 and {Policy.EnrollBatchMax} recipients.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var to in recipients)
        {
            if (EnrollProblem(owner, to, seen) is { } problem)
            {
                return recipients.Count == 1 ? problem : problem with { Message = $"{to}: {problem.Message} Nobody was enrolled." };
            }
        }
        var enrolled = new List<Enrollment>(recipients.Count);
        foreach (var to in recipients)
        {
            var r = State.LoadedMember(to);
            var ordinal = sequence.Enrollments.Count;
            char? variant = sequence.HasAbTest ? (ordinal % 2 == 0 ? 'A' : 'B') : null;
            var enrollment = new Enrollment(sequence, r.Id, ordinal, now, variant, sequence.DueOf(0, now, r.Profile.TimeZone));
            owner.AddEnrollment(enrollment);
            enrolled.Add(enrollment);
        }
        foreach (var enrollment in enrolled)
        {
            if (enrollment.NextDueAt <= now)
            {
                Advance(now, enrollment);
            }
        }
        return enrolled;
    }

    /// <summary>Stops a recipient's active enrolment in the sequence now (<c>unenrolled</c>); <c>not-enrolled</c> when there is none.</summary>
    public Outcome<Enrollment> Unenroll(DateTimeOffset now, string memberId, string sequenceId, string to)
    {
        var found = FindActiveEnrollment(memberId, sequenceId, to);
        if (found.IsSuccess)
        {
            found.Value.Stop(now, EnrollmentNames.Unenrolled);
        }
        return found;
    }

    /// <summary>
    /// Runs the next step of an enrolment that has fallen due (the scheduler's command): the checks
    /// of SPEC §10, then the send, or the wait on a limit. Never early; once only (<c>not-enrolled</c>
    /// after the enrolment ended, the invalid-input "not yet" before its instant).
    /// </summary>
    public Outcome<Enrollment> RunStep(DateTimeOffset now, string owner, string sequenceId, string to)
    {
        var found = FindActiveEnrollment(owner, sequenceId, to);
        if (!found.IsSuccess)
        {
            return found;
        }
        var enrollment = found.Value;
        if (enrollment.NextDueAt > now)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"The next step for '{to}' is due at {UtcCalendar.Format(enrollment.NextDueAt!.Value)}, not yet.");
        }
        Advance(now, enrollment);
        return enrollment;
    }

    /// <summary>Active enrolments of the members in memory whose next step is due by <paramref name="upTo"/>: due instant, owner, sequence, enrolment order.</summary>
    public IReadOnlyList<Enrollment> DueSteps(DateTimeOffset upTo) =>
        State.Members.SelectMany(m => m.Sequences.Values).SelectMany(s => s.Enrollments)
            .Where(e => e.Status == EnrollmentStatus.Active && e.NextDueAt <= upTo)
            .OrderBy(e => e.NextDueAt).ThenBy(e => e.Owner, StringComparer.Ordinal).ThenBy(e => e.Sequence.Id, StringComparer.Ordinal).ThenBy(e => e.Ordinal)
            .ToList();

    /// <summary>
    /// What enrolling <paramref name="recipients"/> can cost and what would stop it (SPEC §10),
    /// without doing it: the enrol form's preview. Changes nothing.
    /// </summary>
    public Outcome<EnrollmentQuote> QuoteEnrollment(DateTimeOffset now, string memberId, string sequenceId, IReadOnlyList<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var found = FindSequence(memberId, sequenceId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var sequence = found.Value;
        var owner = State.LoadedMember(sequence.Owner);
        CatchUp(now, owner);
        var plan = PlanOf(owner);
        var dailyLeft = Math.Max(0, plan.DailyInMailLimit - owner.InMailsSent.CountWithin(now, TimeSpan.FromHours(Policy.DailyWindowHours)));
        var credits = UsableCredits(now, owner);
        var rows = new List<EnrollmentQuoteRow>(recipients.Count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var firstStep = 0;
        var inmailsNow = 0;
        var firstAt = now;
        foreach (var to in recipients)
        {
            if (EnrollProblem(owner, to, seen) is { } problem)
            {
                rows.Add(new EnrollmentQuoteRow(to, State.FindMember(to)?.Profile.Name, null, 0, null, problem.CodeText, problem.Message));
                continue;
            }
            var r = State.LoadedMember(to);
            var row = QuoteRow(now, owner, r, sequence);
            rows.Add(row);
            var due = sequence.DueOf(0, now, r.Profile.TimeZone);
            firstAt = due > firstAt ? due : firstAt;
            if (row.Path is SendPath.InMail or SendPath.OpenProfile && row.StopsAtStep != 1)
            {
                inmailsNow++;
                firstStep += row.Path == SendPath.InMail ? 1 : 0;
            }
        }
        var atMost = rows.Sum(r => r.CreditsAtMost);
        int? budgetLeft = sequence.Budget is { } b ? Math.Max(0, b - sequence.NetCredits) : null;
        var warnings = new List<string>();
        if (atMost > 0)
        {
            warnings.Add($"A response within {Policy.RefundWindowDays} days brings back every credit spent on that recipient's steps: up to {atMost}.");
        }
        if (budgetLeft is { } left && atMost > left)
        {
            warnings.Add($"The budget has {left} credit{(left == 1 ? "" : "s")} left of {sequence.Budget}; once they are spent every enrolment of this sequence stops (budget-exhausted).");
        }
        if (firstStep > credits)
        {
            warnings.Add($"Step 1 needs {firstStep} credits and you have {credits}: the rest stop with no-credits unless you buy a pack first.");
        }
        if (inmailsNow > dailyLeft)
        {
            warnings.Add($"{plan.Name} allows {plan.DailyInMailLimit} InMails in 24 hours and {dailyLeft} are left: {inmailsNow - dailyLeft} of step 1 wait until the limit allows them.");
        }
        foreach (var row in rows.Where(r => r.Code == RefusalCode.ThreadLimitReached.ToCode()))
        {
            warnings.Add($"{row.Name ?? row.To}: the thread limit stops the sequence at step {row.StopsAtStep}.");
        }
        return new EnrollmentQuote(rows, firstStep, atMost, credits, budgetLeft, dailyLeft, firstAt, warnings);
    }

    private EnrollmentQuoteRow QuoteRow(DateTimeOffset now, Member owner, Member r, Sequence sequence)
    {
        SendRequest? first = null;
        for (var i = 0; i < sequence.Steps.Count; i++)
        {
            foreach (var template in sequence.Steps[i].Templates.Distinct())
            {
                var rendered = Render(new Draft(owner.Id, r.Id, Template: template));
                if (!rendered.IsSuccess)
                {
                    return new EnrollmentQuoteRow(r.Id, r.Profile.Name, PathOf(now, owner, r), 0, i + 1, rendered.Refusal.CodeText, $"Step {i + 1}: {rendered.Refusal.Message}");
                }
                first ??= rendered.Value.Request;
            }
        }
        var quote = Quote(now, first!);
        if (!quote.IsSuccess)
        {
            var waits = quote.Refusal.Code is RefusalCode.DailyLimitReached or RefusalCode.RecipientLimitReached;
            var path = PathOf(now, owner, r);
            return new EnrollmentQuoteRow(r.Id, r.Profile.Name, path, waits && path == SendPath.InMail ? sequence.Steps.Count : 0, waits ? null : 1, quote.Refusal.CodeText, quote.Refusal.Message);
        }
        var q = quote.Value;
        if (q.Path is not (SendPath.InMail or SendPath.OpenProfile))
        {
            return new EnrollmentQuoteRow(r.Id, r.Profile.Name, q.Path, 0, null, null, null);
        }
        var room = Policy.ThreadInMailLimit - (State.FindConversation(owner.Id, r.Id)?.InMailsSinceOtherWrote(owner.Id) ?? 0);
        var steps = Math.Min(room, sequence.Steps.Count);
        var stopsAt = room < sequence.Steps.Count ? room + 1 : (int?)null;
        return new EnrollmentQuoteRow(r.Id, r.Profile.Name, q.Path, q.Path == SendPath.InMail ? steps : 0, stopsAt,
            stopsAt is null ? null : RefusalCode.ThreadLimitReached.ToCode(),
            stopsAt is null ? null : $"{r.Profile.Name} has {Policy.ThreadInMailLimit - room} unanswered InMails from you already; the thread limit stops this at step {stopsAt}.");
    }

    /// <summary>A year: later than any follow-up the seeds advise, and far from overflowing an instant.</summary>
    private const int MaxStepDay = 365;

    private Refusal? EnrollProblem(Member owner, string? to, HashSet<string> seen)
    {
        if (State.FindMember(to) is not { } r)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{to}'.");
        }
        if (r == owner)
        {
            return Refuse.With(RefusalCode.SelfMessage, "You cannot enrol yourself.");
        }
        if (owner.ActiveEnrollmentOf(r.Id) is { } active)
        {
            return Refuse.With(RefusalCode.AlreadyEnrolled, $"{r.Profile.Name} is already enrolled in your sequence '{active.Sequence.Id}'; unenrol them there first.");
        }
        return seen.Add(r.Id) ? null : Refuse.With(RefusalCode.AlreadyEnrolled, $"{r.Profile.Name} is named twice.");
    }

    private Outcome<IReadOnlyList<SequenceStep>> CheckSteps(Member member, IReadOnlyList<SequenceStepSpec>? steps, int? budget)
    {
        if (steps is null || steps.Count == 0 || steps.Count > Policy.SequenceMaxSteps)
        {
            return Refuse.With(RefusalCode.InvalidSequence, $"A sequence has 1 to {Policy.SequenceMaxSteps} steps.");
        }
        if (budget is < 0)
        {
            return Refuse.With(RefusalCode.InvalidSequence, "A budget is a whole number of credits, 0 or more.");
        }
        var result = new List<SequenceStep>(steps.Count);
        for (var i = 0; i < steps.Count; i++)
        {
            var spec = steps[i];
            if (spec is null)
            {
                return Refuse.With(RefusalCode.InvalidSequence, $"Step {i + 1} is empty.");
            }
            if (i == 0 ? spec.Day != 0 : spec.Day <= steps[i - 1].Day)
            {
                return Refuse.With(RefusalCode.InvalidSequence, i == 0
                    ? $"Step 1 runs on day 0, not day {spec.Day}."
                    : $"Step {i + 1} is on day {spec.Day}; each step's day comes after the one before (step {i} is on day {steps[i - 1].Day}).");
            }
            if (spec.Day > MaxStepDay)
            {
                return Refuse.With(RefusalCode.InvalidSequence, $"Step {i + 1} is on day {spec.Day}; steps run within {MaxStepDay} days of enrolment.");
            }
            IReadOnlyList<string> templates = (spec.Template, spec.Variants) switch
            {
                ({ } one, null) => [one],
                (null, { Count: 2 } two) when two[0] != two[1] => [two[0], two[1]],
                _ => [],
            };
            if (templates.Count == 0)
            {
                return Refuse.With(RefusalCode.InvalidSequence, $"Step {i + 1} names one template, or two different ones as variants (an A/B test).");
            }
            foreach (var t in templates)
            {
                if (!member.Templates.ContainsKey(t ?? ""))
                {
                    return Refuse.With(RefusalCode.UnknownTemplate, $"Step {i + 1}: you have no template '{t}'.");
                }
            }
            result.Add(new SequenceStep(spec.Day, templates));
        }
        return result;
    }

    /// <summary>Runs an enrolment's due step (SPEC §10): stop checks, budget, then the send, or the wait on a limit.</summary>
    private void Advance(DateTimeOffset now, Enrollment enrollment)
    {
        var sequence = enrollment.Sequence;
        var s = State.LoadedMember(sequence.Owner);
        var r = State.LoadedMember(enrollment.To);
        CatchUp(now, s);
        if (enrollment.RespondedAt is not null)
        {
            Stop(now, enrollment, EnrollmentNames.Responded);
            return;
        }
        if (State.IsBlockedEitherWay(s, r))
        {
            Stop(now, enrollment, EnrollmentNames.Blocked);
            return;
        }
        if (enrollment.Steps.Any(x => x.ReportedSpam))
        {
            Stop(now, enrollment, EnrollmentNames.Reported);
            return;
        }
        var index = enrollment.StepsSent;
        var step = sequence.Steps[index];
        var rendered = Render(new Draft(s.Id, r.Id, Template: step.TemplateFor(enrollment.Variant)));
        if (!rendered.IsSuccess)
        {
            Stop(now, enrollment, rendered.Refusal.CodeText, rendered.Refusal.Message);
            return;
        }
        var request = rendered.Value.Request;
        if (index > 0 && TextRules.IsBlank(request.Subject) && enrollment.FirstSubject is { } first)
        {
            request = request with { Subject = TextRules.Cut("Re: " + first, Policy.SubjectMaxLength) };
        }
        if (sequence.Budget is { } budget && Quote(now, request) is { IsSuccess: true, Value.Cost: > 0 } && sequence.NetCredits >= budget)
        {
            foreach (var other in sequence.Enrollments.Where(e => e.Status == EnrollmentStatus.Active).ToList())
            {
                Stop(now, other, EnrollmentNames.BudgetExhausted, $"The sequence spent its budget of {budget} net credits.");
            }
            return;
        }
        var sent = Send(now, request);
        if (!sent.IsSuccess)
        {
            if (WaitFor(now, sent.Refusal.Code, s, r) is { } until)
            {
                enrollment.Wait(until, sent.Refusal.CodeText);
            }
            else
            {
                Stop(now, enrollment, sent.Refusal.CodeText, sent.Refusal.Message);
            }
            return;
        }
        var message = sent.Value.Message;
        DateTimeOffset? next = null;
        if (index + 1 < sequence.Steps.Count)
        {
            next = sequence.DueOf(index + 1, enrollment.EnrolledAt, r.Profile.TimeZone);
            if (next <= now)
            {
                // A step that waited on a limit past the next one's day keeps the steps' spacing: never two at once.
                var gap = TimeSpan.FromDays(sequence.Steps[index + 1].Day - step.Day);
                next = sequence.BestWindow ? BestWindow.Next(now + gap, r.Profile.TimeZone) : now + gap;
            }
        }
        enrollment.Record(new StepSent(index, step.IsAbTest ? enrollment.Variant : null, message.Id, now, message.Path, message.Charge is not null),
            rendered.Value.Request.Subject, next);
    }

    /// <summary>Stops an enrolment; its owner is told (SPEC §11) unless the recipient responded or the owner unenrolled them.</summary>
    private void Stop(DateTimeOffset now, Enrollment enrollment, string reason, string? message = null)
    {
        enrollment.Stop(now, reason, message);
        if (reason is not (EnrollmentNames.Responded or EnrollmentNames.Unenrolled))
        {
            var to = State.FindMember(enrollment.To)?.Profile.Name ?? enrollment.To;
            Notify(State.LoadedMember(enrollment.Owner), Messaging.NotificationKinds.SequenceStopped, now, $"{enrollment.Sequence.Id}/{enrollment.To}",
                $"Your sequence '{enrollment.Sequence.Id}' stopped for {to} after {enrollment.StepsSent} step{(enrollment.StepsSent == 1 ? "" : "s")} ({reason}){(message is null ? "." : ": " + message)}");
        }
    }

    /// <summary>The first instant a daily or weekly limit lets the send go (SPEC §10's wait), or null for any other refusal.</summary>
    private DateTimeOffset? WaitFor(DateTimeOffset now, RefusalCode code, Member s, Member r) => code switch
    {
        RefusalCode.DailyLimitReached => s.InMailsSent.FreeAgainAt(now, TimeSpan.FromHours(Policy.DailyWindowHours), PlanOf(s).DailyInMailLimit),
        RefusalCode.RecipientLimitReached => r.InMailsReceived.FreeAgainAt(now, TimeSpan.FromDays(Policy.RecipientWindowDays), Policy.RecipientInMailLimit),
        _ => null,
    } is { } at && at > now ? at : null;

    /// <summary>The recipient wrote to a sender who enrolled them: their latest enrolment notes the response (it stops at its next step).</summary>
    private void NoteEnrollmentResponse(Message message)
    {
        if (State.FindMember(message.To) is { } owner && owner.EnrollmentsOf(message.From) is { Count: > 0 } list)
        {
            list[^1].NoteResponse(message.SentAt);
        }
    }

    /// <summary>A sequence step's message changed (refunded, accepted, marked, reported): its enrolment's record follows.</summary>
    private void NoteStepMessage(Message message)
    {
        if (State.FindMember(message.From) is not { } owner)
        {
            return;
        }
        var list = owner.EnrollmentsOf(message.To);
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (list[i].Steps.FirstOrDefault(x => x.MessageId == message.Id) is { } step)
            {
                step.Refunded = message.RefundedAt is not null;
                step.Positive = message.Response == ResponseKind.Accept || message.Mark is not null;
                step.ReportedSpam = message.ReportedSpamAt is not null;
                return;
            }
        }
    }

    private Outcome<Enrollment> FindActiveEnrollment(string member, string sequenceId, string? to)
    {
        var found = FindSequence(member, sequenceId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        return found.Value.EnrollmentOf(to ?? "") is { Status: EnrollmentStatus.Active } enrollment
            ? enrollment
            : Refuse.With(RefusalCode.NotEnrolled, $"'{to}' has no active enrolment in the sequence '{sequenceId}'.");
    }

    private Outcome<Sequence> FindSequence(string member, string id)
    {
        if (State.FindMember(member) is not { } m)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{member}'.");
        }
        return m.Sequences.TryGetValue(id ?? "", out var sequence)
            ? sequence
            : Refuse.With(RefusalCode.UnknownSequence, $"You have no sequence '{id}'.");
    }
}
