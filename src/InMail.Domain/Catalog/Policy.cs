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

    /// <summary>Calendar months a purchased pack lasts after its purchase.</summary>
    public int PurchaseLifetimeMonths { get; init; } = 12;

    /// <summary>What one credit of a pack costs, in cents.</summary>
    public long CreditPriceCents { get; init; } = 1_000;

    /// <summary>The pack sizes on sale, in credits; any other size is <c>unknown-pack</c>.</summary>
    public IReadOnlyList<int> PackSizes { get; init; } = [10, 25, 50, 100];

    /// <summary>A response at most this many days after a spend refunds it (inclusive: exactly 90 days still refunds).</summary>
    public int RefundWindowDays { get; init; } = 90;

    /// <summary>Days a refund lot lives after the response that made it (used when the credit's own lot is no longer live).</summary>
    public int RefundLotLifetimeDays { get; init; } = 90;

    /// <summary>Most InMails a sender may have in one conversation since the recipient last wrote (<c>thread-limit-reached</c>).</summary>
    public int ThreadInMailLimit { get; init; } = 4;

    /// <summary>The rolling window, in hours, that a plan's daily InMail limit counts over.</summary>
    public int DailyWindowHours { get; init; } = 24;

    /// <summary>Most InMails one member may receive in the recipient window (<c>recipient-limit-reached</c>).</summary>
    public int RecipientInMailLimit { get; init; } = 20;

    /// <summary>The rolling window, in days, that <see cref="RecipientInMailLimit"/> counts over.</summary>
    public int RecipientWindowDays { get; init; } = 7;

    /// <summary>Free group messages a sender may send per calendar month (UTC); past it, the path is paid InMail.</summary>
    public int GroupMessagesPerMonth { get; init; } = 15;

    /// <summary>
    /// The fewest spam reports in the spam window that suspend a sender (when they are also
    /// <see cref="SpamMinSharePercent"/> of their InMails).
    /// </summary>
    public int SpamMinReports { get; init; } = 3;

    /// <summary>
    /// The share of the sender's InMails in the spam window, in percent, that the reports must also reach to suspend
    /// them.
    /// </summary>
    public int SpamMinSharePercent { get; init; } = 10;

    /// <summary>The rolling window, in days, over which spam reports and the InMails they are a share of are counted.</summary>
    public int SpamWindowDays { get; init; } = 30;

    /// <summary>Days a suspended sender cannot send InMail, open-profile or group messages (<c>sender-restricted</c>).</summary>
    public int SpamSuspensionDays { get; init; } = 7;

    /// <summary>Most connection requests a member may send in the invite window (<c>weekly-invite-limit</c>).</summary>
    public int InvitesPerWeek { get; init; } = 100;

    /// <summary>The rolling window, in days, that <see cref="InvitesPerWeek"/> counts over.</summary>
    public int InviteWindowDays { get; init; } = 7;

    /// <summary>Connection requests with a note a free-plan member may send per calendar month (<c>note-limit-reached</c>).</summary>
    public int BasicNotesPerMonth { get; init; } = 5;

    /// <summary>Days after withdrawing a request before the sender may invite that member again (<c>reinvite-too-soon</c>).</summary>
    public int ReinviteWaitDays { get; init; } = 21;

    /// <summary>Longest subject of an InMail or group message, in user-perceived characters.</summary>
    public int SubjectMaxLength { get; init; } = 200;

    /// <summary>Longest body of an InMail or group message, in user-perceived characters.</summary>
    public int InMailBodyMaxLength { get; init; } = 1_900;

    /// <summary>Longest body of a message in an open conversation, in user-perceived characters.</summary>
    public int MessageBodyMaxLength { get; init; } = 8_000;

    /// <summary>Longest note on a connection request from a member on a paid plan.</summary>
    public int PaidNoteMaxLength { get; init; } = 300;

    /// <summary>Longest note on a connection request from a member on the free plan.</summary>
    public int BasicNoteMaxLength { get; init; } = 200;

    /// <summary>Most conversations in a member's active inbox; past it the least recently active is archived.</summary>
    public int InboxActiveConversations { get; init; } = 500;

    // SPEC §10: templates and the coach.
    /// <summary>Most templates a member keeps; saving one more is <c>invalid-template</c>.</summary>
    public int TemplatesPerMember { get; init; } = 100;

    /// <summary>Body length, in characters, from which the coach finds <c>long-body</c>.</summary>
    public int CoachLongBodyCharacters { get; init; } = 400;

    /// <summary>Most words a subject may have before the coach finds <c>wordy-subject</c>.</summary>
    public int CoachSubjectMaxWords { get; init; } = 5;

    /// <summary>First-person words (I, me, we…) from which the coach may find <c>about-me</c>.</summary>
    public int CoachAboutMeMinWords { get; init; } = 3;

    /// <summary>How far back, in days, the coach looks for near-identical InMails (<c>copy-paste</c>).</summary>
    public int CoachCopyPasteDays { get; init; } = 30;

    /// <summary>Other recipients of near-identical bodies from which the coach finds <c>copy-paste</c>.</summary>
    public int CoachCopyPasteRecipients { get; init; } = 3;

    /// <summary>Jaccard similarity of 3-word shingles, in percent, from which two bodies count as near-identical.</summary>
    public int CoachCopyPasteSimilarityPercent { get; init; } = 80;

    // SPEC §10: scheduled sends.
    /// <summary>Most scheduled sends a member may have waiting (<c>schedule-limit-reached</c>).</summary>
    public int PendingSchedulesPerMember { get; init; } = 100;

    // SPEC §10: sequences.
    /// <summary>Most steps a sequence may have.</summary>
    public int SequenceMaxSteps { get; init; } = 4;

    /// <summary>The days the sequence form suggests for steps 1, 2, 3… before the member changes them.</summary>
    public IReadOnlyList<int> SequenceDefaultDays { get; init; } = [0, 3, 7, 14];

    /// <summary>Most sequences a member keeps.</summary>
    public int SequencesPerMember { get; init; } = 50;

    /// <summary>
    /// Sends each arm of a reply-rate comparison (A/B variants, templates) needs before a verdict other than
    /// "not enough data yet" (decision 013; the seed research: below about 200 sends a variant it is noise).
    /// </summary>
    public int ComparisonMinSendsPerArm { get; init; } = 200;

    // SPEC §11: the inbox as a workspace.
    /// <summary>Most inbox labels a member may have (<c>label-limit-reached</c>).</summary>
    public int LabelsPerMember { get; init; } = 20;

    /// <summary>Longest label name, in user-perceived characters after trimming.</summary>
    public int LabelMaxLength { get; init; } = 30;

    /// <summary>
    /// Days of warning before a lot expires (<c>credits-expiring</c>) or a refund window closes
    /// (<c>refund-window-closing</c>).
    /// </summary>
    public int NotificationLeadDays { get; init; } = 7;

    /// <summary>Most files one message may carry.</summary>
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
