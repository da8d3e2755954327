namespace InMail.Domain.Catalog;

/// <summary>
/// Every number of SPEC §3–§6 that is not per plan. Defaults are the spec's; a catalog file may override any.
/// </summary>
public sealed record Policy
{
    /// <summary>Days an allowance lot lives after its grant. Ignored when <see cref="AllowanceExpiresAtNextCycle"/>.</summary>
    public int AllowanceLifetimeDays { get; init; } = 90;

    /// <summary>True for a no-rollover catalog (seed 001): allowance lots die when the next cycle starts.</summary>
    public bool AllowanceExpiresAtNextCycle { get; init; }

    public int PurchaseLifetimeMonths { get; init; } = 12;
    public long CreditPriceCents { get; init; } = 1_000;
    public IReadOnlyList<int> PackSizes { get; init; } = [10, 25, 50, 100];

    /// <summary>A response at most this many days after a spend refunds it (inclusive: exactly 90 days still refunds).</summary>
    public int RefundWindowDays { get; init; } = 90;
    public int RefundLotLifetimeDays { get; init; } = 90;

    public int ThreadInMailLimit { get; init; } = 4;
    public int DailyWindowHours { get; init; } = 24;
    public int RecipientInMailLimit { get; init; } = 20;
    public int RecipientWindowDays { get; init; } = 7;
    public int GroupMessagesPerMonth { get; init; } = 15;

    public int SpamMinReports { get; init; } = 3;
    public int SpamMinSharePercent { get; init; } = 10;
    public int SpamWindowDays { get; init; } = 30;
    public int SpamSuspensionDays { get; init; } = 7;

    public int InvitesPerWeek { get; init; } = 100;
    public int InviteWindowDays { get; init; } = 7;
    public int BasicNotesPerMonth { get; init; } = 5;
    public int ReinviteWaitDays { get; init; } = 21;

    public int SubjectMaxLength { get; init; } = 200;
    public int InMailBodyMaxLength { get; init; } = 1_900;
    public int MessageBodyMaxLength { get; init; } = 8_000;
    public int PaidNoteMaxLength { get; init; } = 300;
    public int BasicNoteMaxLength { get; init; } = 200;
    public int InboxActiveConversations { get; init; } = 500;

    // SPEC §10: templates and the coach.
    public int TemplatesPerMember { get; init; } = 100;
    public int CoachLongBodyCharacters { get; init; } = 400;
    public int CoachSubjectMaxWords { get; init; } = 5;
    public int CoachAboutMeMinWords { get; init; } = 3;
    public int CoachCopyPasteDays { get; init; } = 30;
    public int CoachCopyPasteRecipients { get; init; } = 3;
    public int CoachCopyPasteSimilarityPercent { get; init; } = 80;

    // SPEC §10: scheduled sends.
    public int PendingSchedulesPerMember { get; init; } = 100;

    // SPEC §10: sequences.
    public int SequenceMaxSteps { get; init; } = 4;
    public IReadOnlyList<int> SequenceDefaultDays { get; init; } = [0, 3, 7, 14];
    public int SequencesPerMember { get; init; } = 50;

    // SPEC §11: the inbox as a workspace.
    public int LabelsPerMember { get; init; } = 20;
    public int LabelMaxLength { get; init; } = 30;
    public int NotificationLeadDays { get; init; } = 7;
    public int AttachmentsPerMessage { get; init; } = 3;

    /// <summary>SPEC §11's "5 MB", read as 5 × 1,048,576 bytes *(chosen: what a file manager calls 5 MB)*.</summary>
    public long AttachmentMaxBytes { get; init; } = 5L * 1024 * 1024;

    /// <summary>The longest file name kept, in UTF-16 code units *(chosen: what common file systems allow)*.</summary>
    public int AttachmentNameMaxLength { get; init; } = 255;

    /// <summary>How many notifications a member keeps (the oldest go first) *(chosen: memory grows with activity, not history)*.</summary>
    public int NotificationsKept { get; init; } = 200;

    /// <summary>How many recipients one enrol request may name (a pasted or uploaded list).</summary>
    public int EnrollBatchMax { get; init; } = 500;
}
