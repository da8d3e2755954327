namespace InMail.Web.Api;

// Request bodies. Unknown fields, missing required fields and wrong types are refused (ApiJson).

/// <summary>A new member: <c>member</c> is their id (<c>id</c> is its old name, still read until the next release).</summary>
public sealed record RegisterBody(string Name, string Password, string? Member = null, string? Headline = null, string? Company = null, string? TimeZone = null,
    string? Id = null);

public sealed record SignInBody(string Member, string Password);

/// <summary>A profile; <c>timeZone</c> is also read as <c>timezone</c> (names are matched without regard to case).</summary>
public sealed record ProfileBody(string Name, string? Headline = null, string? Company = null, string? TimeZone = null);

public sealed record SettingsBody(bool? OpenProfile = null, bool? Inmail = null, bool? GroupMessages = null);

public sealed record InviteBody(string To, string? Note = null);

public sealed record GroupBody(string Id, string Name);

public sealed record PlanBody(string Plan, string? Billing = null);

public sealed record TeamBody(string Id, string Plan, IReadOnlyList<string> Seats, string? Billing = null, int? SeatCap = null);

/// <summary>An operator's team, as an import makes it: <see cref="Seats"/> hold a seat at once, <see cref="Offers"/> are offered one.</summary>
public sealed record OperatorTeamBody(string Id, string Plan, IReadOnlyList<string> Seats, string? Billing = null, int? SeatCap = null, string? Admin = null,
    IReadOnlyList<string>? Offers = null);

public sealed record SeatBody(string Member);

public sealed record SeatCapBody(int? SeatCap);

public sealed record PurchaseBody(int Pack);

public sealed record BonusBody(int Credits, int Days, string? Reason = null);

/// <summary>A draft: typed subject and body, or one of your templates by id (rendered for the recipient); up to three uploaded files by id.</summary>
public sealed record MessageBody(string To, string? Subject = null, string? Body = null, string? Template = null, IReadOnlyList<string?>? Attachments = null);

/// <summary>A send for later (SPEC §10): a draft (typed, or a template), and sendAt (an instant) or window "best".</summary>
public sealed record ScheduleBody(string Id, string To, string? Subject = null, string? Body = null, string? Template = null, string? SendAt = null, string? Window = null);

/// <summary>A template's text; placeholders are {{name}} or {{name|fallback}} (SPEC §10).</summary>
public sealed record TemplateBody(string Body, string? Subject = null);

/// <summary>A sequence (SPEC §10): steps {day, template} or {day, variants: [A, B]}, optional window "best" and budget (net credits).</summary>
public sealed record SequenceBody(IReadOnlyList<InMail.Domain.Outreach.SequenceStepSpec> Steps, string? Window = null, int? Budget = null);

/// <summary>Who to enrol: one member (to) or a list (recipients), never both.</summary>
public sealed record EnrollBody(string? To = null, IReadOnlyList<string>? Recipients = null);

public sealed record LabelBody(string Name);

/// <summary>Until when to snooze: an ISO-8601 instant with an offset.</summary>
public sealed record SnoozeBody(string Until);

/// <summary>When to be reminded (an ISO-8601 instant), and whether a reply from the other member cancels it (default true).</summary>
public sealed record ReminderBody(string RemindAt, bool? UnlessReply = null);

/// <summary>Which notifications to mark read: those up to an id, or all when it is left out.</summary>
public sealed record ReadNotificationsBody(long? UpTo = null);

/// <summary>Labels to put on a conversation (new names make labels) and to take off.</summary>
public sealed record ConversationLabelsBody(IReadOnlyList<string>? Add = null, IReadOnlyList<string>? Remove = null);

public sealed record RespondBody(string Kind, string? Body = null, IReadOnlyList<string?>? Attachments = null);

public sealed record ArchiveBody(bool Archived);

public sealed record OutcomeBody(string Outcome);

public sealed record ConnectBody(string A, string B);

public sealed record ClockAdvanceBody(int Days = 0, int Hours = 0, int Minutes = 0);

public sealed record ClockSetBody(DateTimeOffset At);
