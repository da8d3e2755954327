using System.Globalization;
using InMail.Domain;
using InMail.Domain.Messaging;
using InMail.Web.Api;

namespace InMail.Web.Pages;

/// <summary>A link that tells a member what they can do about a refusal.</summary>
public sealed record NextStep(string Text, string Href);

/// <summary>
/// How the pages say things: dates, credits, paths, ledger lines and what to do after a refusal.
/// The refusals' sentences themselves are the engine's (the same the API sends); this only adds the way out.
/// </summary>
public static class Words
{
    /// <summary>An instant as the pages show it: UTC, minutes, the zone written out (the rules' calendar is UTC).</summary>
    public static string When(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>A date without the time.</summary>
    public static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>How long until <paramref name="then"/>: "3 days", "5 hours", "12 minutes".</summary>
    public static string Until(DateTimeOffset now, DateTimeOffset then)
    {
        var left = then - now;
        return left <= TimeSpan.Zero ? "no time"
            : left.TotalDays >= 2 ? $"{(int)left.TotalDays} days"
            : left.TotalHours >= 2 ? $"{(int)left.TotalHours} hours"
            : left.TotalMinutes >= 2 ? $"{(int)left.TotalMinutes} minutes"
            : "a minute";
    }

    public static string Credits(int n) => n == 1 ? "1 credit" : string.Create(CultureInfo.InvariantCulture, $"{n} credits");

    public static string Money(long? cents) => cents is { } c ? Domain.Money.Format(c) : "custom price";

    /// <summary>What a lot's source means to a member.</summary>
    public static string Source(string source) => source switch
    {
        "allowance" => "Monthly allowance",
        "purchase" => "Bought pack",
        "bonus" => "Bonus",
        "refund" => "Refunded",
        _ => source,
    };

    /// <summary>The path a message took, as the inbox labels it.</summary>
    public static string Path(string path) => path switch
    {
        "inmail" => "InMail",
        "open-profile" => "InMail (Open Profile)",
        "group" => "Group message",
        _ => "Message",
    };

    /// <summary>The form field a refusal concerns, so the page shows it there ("" is the form as a whole).</summary>
    public static string FieldOf(RefusalCode code) => code switch
    {
        RefusalCode.SubjectRequired or RefusalCode.SubjectTooLong => "subject",
        RefusalCode.BodyRequired or RefusalCode.BodyTooLong or RefusalCode.InvalidCharacters => "body",
        RefusalCode.NoteTooLong or RefusalCode.NoteLimitReached => "note",
        RefusalCode.UnknownMember or RefusalCode.SelfMessage or RefusalCode.Blocked or RefusalCode.RecipientUnavailable
            or RefusalCode.RecipientLimitReached or RefusalCode.AlreadyConnected or RefusalCode.InvitationPending
            or RefusalCode.ReinviteTooSoon => "to",
        RefusalCode.AttachmentRejected => "files",
        _ => "",
    };

    /// <summary>What the member can do about a refusal, as links.</summary>
    public static IReadOnlyList<NextStep> NextSteps(RefusalCode code, string? to = null)
    {
        var connect = new NextStep("Connect instead", "/network?invite=" + Uri.EscapeDataString(to ?? ""));
        var plans = new NextStep("See the plans", "/plans");
        return code switch
        {
            RefusalCode.NoCredits => [new("Buy a pack of credits", "/credits#buy")],
            RefusalCode.InMailRequiresPaidPlan => to is null ? [plans] : [connect, plans],
            RefusalCode.RecipientUnavailable when to is not null => [connect],
            RefusalCode.PurchaseNotAllowed or RefusalCode.OpenProfileRequiresPremium => [plans],
            RefusalCode.NoSubscription => [plans],
            _ => [],
        };
    }

    /// <summary>One ledger entry as a sentence: what happened and why.</summary>
    public static string Explain(LedgerEntryView e, InMailState state)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(state);
        var message = state.FindMessage(e.MessageId);
        var other = message is null ? null : state.FindMember(message.To)?.Profile.Name;
        var seat = e.Member is { } m && state.FindMember(m) is { } who ? $" (by {who.Profile.Name})" : "";
        return e.Kind switch
        {
            "grant" => $"Monthly allowance granted{Because(e.Note)}; lasts until {Day(e.LotExpires)}",
            "purchase" => $"Bought a pack of {e.Delta}; lasts until {Day(e.LotExpires)}",
            "bonus" => $"Bonus credits{Because(e.Note)}; last until {Day(e.LotExpires)}",
            "spend" => $"InMail to {other ?? "a member"}{seat}",
            "refund" => message?.Response is { } response
                ? $"{other ?? "The recipient"} {Responded(response.ToName())} your InMail \u201c{message.Subject}\u201d: its credit came back"
                : $"Credit came back: {other ?? "the recipient"} responded to your InMail",
            "expire" => $"{Source(e.Source)} credits expired (they lasted until {Day(e.LotExpires)})",
            "forfeit" => $"{Source(e.Source)} credits forfeited{Because(e.Note)}",
            _ => e.Kind,
        };
    }

    private static string Because(string? note) => string.IsNullOrWhiteSpace(note) ? "" : $" ({note})";

    private static string Responded(string kind) => kind switch
    {
        "accept" => "accepted",
        "decline" => "declined",
        _ => "replied to",
    };

    /// <summary>A response as the sender reads it: accepted, declined, replied.</summary>
    public static string Answer(string kind) => kind switch
    {
        "accept" => "accepted",
        "decline" => "declined",
        _ => "replied",
    };

    /// <summary>
    /// Why an enrolment stopped (SPEC §10), as its owner reads it: the reasons that are not refusals in
    /// words, a refusal as the engine's own sentence (shown with its code beside it).
    /// </summary>
    public static string StopReason(string? reason, string? message) => reason switch
    {
        Domain.Outreach.EnrollmentNames.Responded => "they responded, so no further step goes",
        Domain.Outreach.EnrollmentNames.Blocked => "one of you blocked the other",
        Domain.Outreach.EnrollmentNames.Reported => "they reported a step as spam",
        Domain.Outreach.EnrollmentNames.Unenrolled => "you unenrolled them",
        Domain.Outreach.EnrollmentNames.BudgetExhausted => message ?? "the sequence spent its budget",
        _ => message ?? reason ?? "",
    };

    /// <summary>True for the stop reasons that are a send's refusal code (shown with the code).</summary>
    public static bool IsRefusalReason(string? reason) => reason is not null && reason is not (Domain.Outreach.EnrollmentNames.Responded
        or Domain.Outreach.EnrollmentNames.Blocked or Domain.Outreach.EnrollmentNames.Reported or Domain.Outreach.EnrollmentNames.Unenrolled
        or Domain.Outreach.EnrollmentNames.BudgetExhausted);

    /// <summary>A notification's kind (SPEC §11) as its member reads it.</summary>
    public static string NotificationKind(string kind) => kind switch
    {
        NotificationKinds.CreditsGranted => "Credits granted",
        NotificationKinds.CreditsExpiring => "Credits expiring soon",
        NotificationKinds.RefundWindowClosing => "Refund window closing",
        NotificationKinds.ScheduleRefused => "Scheduled send not sent",
        NotificationKinds.SequenceStopped => "Sequence stopped",
        NotificationKinds.Reminder => "Reminder",
        _ => kind,
    };

    /// <summary>The limit a step waits on, in words.</summary>
    public static string WaitingOn(string code) => code switch
    {
        "daily-limit-reached" => "your daily InMail limit",
        "recipient-limit-reached" => "how many InMails they may receive",
        _ => code,
    };

    /// <summary>At most <paramref name="length"/> user-perceived characters of a text, with no mark where it was cut.</summary>
    public static string Cut(string text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        var info = new StringInfo(text);
        return info.LengthInTextElements <= length ? text : info.SubstringByTextElements(0, length);
    }

    /// <summary>The start of a text, cut between user-perceived characters.</summary>
    public static string Snippet(string text, int length)
    {
        ArgumentNullException.ThrowIfNull(text);
        var info = new StringInfo(text);
        return info.LengthInTextElements <= length ? text : info.SubstringByTextElements(0, length) + "…";
    }
}
