using InMail.Domain;
using InMail.Domain.Messaging;
using InMail.Domain.Outreach;

namespace InMail.Web.Api;

public sealed record SequenceStepView(int Step, int Day, List<string> Templates);

/// <summary>One row of a sequence's results: a step and, at an A/B step, a variant.</summary>
public sealed record StepResultView(int Step, int Day, string? Variant, string Template, int Sent, int Replied, int Positive, int CreditsSpent, int CreditsRefunded);

/// <summary>A sequence: its steps, its enrolments counted, its results per step and variant, and A against B at each A/B step (decision 013).</summary>
public sealed record SequenceView(string Id, List<SequenceStepView> Steps, bool BestWindow, int? Budget, DateTimeOffset CreatedAt,
    int Enrolled, int Active, int CreditsSpent, int CreditsRefunded, List<StepResultView> Results, List<VariantComparisonView> Comparisons);

/// <summary>A step an enrolment sent.</summary>
public sealed record StepSentView(int Step, string? Variant, string MessageId, DateTimeOffset At, string Path, int Cost, bool Refunded);

/// <summary>A recipient's way through a sequence: where it stands, the next step in both time zones, or why it stopped.</summary>
public sealed record EnrollmentView(string Sequence, int Ordinal, string To, string? Name, string Status, int Step, int Steps, string? Variant,
    DateTimeOffset EnrolledAt, DateTimeOffset? NextStepAt, string? NextStepInRecipientTime, string? WaitingOn,
    DateTimeOffset? RespondedAt, DateTimeOffset? EndedAt, string? Reason, string? ReasonMessage, List<StepSentView> Sent);

public sealed record EnrollmentPage(List<EnrollmentView> Items, int? Next);

public sealed record EnrollmentQuoteRowView(string To, string? Name, string? Path, int CreditsAtMost, int? StopsAtStep, string? Code, string? Problem);

/// <summary>What enrolling would cost: step 1's credits now, at most over every step, what is available, and what would stop it.</summary>
public sealed record EnrollmentQuoteView(bool CanEnroll, int CreditsFirstStep, int CreditsAtMost, int CreditsAvailable, int? BudgetLeft, int InMailsLeftToday,
    DateTimeOffset FirstStepAt, List<string> Warnings, List<EnrollmentQuoteRowView> Rows);

internal static class SequenceViews
{
    public static SequenceView Of(InMailEngine e, Sequence s) => new(s.Id,
        s.Steps.Select((x, i) => new SequenceStepView(i + 1, x.Day, x.Templates.ToList())).ToList(), s.BestWindow, s.Budget, s.CreatedAt,
        s.Enrollments.Count, s.ActiveEnrollments, s.CreditsSpent, s.CreditsRefunded,
        s.Results().Select(r => new StepResultView(r.Step, r.Day, r.Variant, r.Template, r.Sent, r.Replied, r.Positive, r.CreditsSpent, r.CreditsRefunded)).ToList(),
        e.VariantComparisons(s).Select(ReportViews.Of).ToList());

    public static EnrollmentView Of(InMailEngine e, Enrollment x)
    {
        var recipient = e.State.FindMember(x.To);
        return new(x.Sequence.Id, x.Ordinal, x.To, recipient?.Profile.Name, x.Status.ToName(), x.StepsSent, x.Sequence.Steps.Count, x.Variant?.ToString(),
            x.EnrolledAt, x.NextDueAt, x.NextDueAt is { } next ? View.InZone(next, recipient?.Profile.TimeZone) : null, x.WaitingOn,
            x.RespondedAt, x.EndedAt, x.Reason, x.ReasonMessage,
            x.Steps.Select(s => new StepSentView(s.Index + 1, s.Variant?.ToString(), s.MessageId, s.At, s.Path.ToName(), s.Charged ? 1 : 0, s.Refunded)).ToList());
    }

    public static EnrollmentQuoteView Of(EnrollmentQuote q) => new(q.CanEnroll, q.CreditsFirstStep, q.CreditsAtMost, q.CreditsAvailable, q.BudgetLeft,
        q.InMailsLeftToday, q.FirstStepAt, q.Warnings.ToList(),
        q.Rows.Select(r => new EnrollmentQuoteRowView(r.To, r.Name, r.Path?.ToName(), r.CreditsAtMost, r.StopsAtStep, r.Code, r.Problem)).ToList());
}
