using System.Diagnostics.CodeAnalysis;

namespace InMail.Domain;

/// <summary>Every reason the system refuses a request (SPEC §7). The wire form is <see cref="RefusalCodes.ToCode"/>.</summary>
public enum RefusalCode
{
    /// <summary>The request itself is malformed: a missing or badly formed field, a bound out of range; no rule was asked.</summary>
    InvalidInput,
    /// <summary>No member has the id given.</summary>
    UnknownMember,
    /// <summary>The catalog has no plan with the id given.</summary>
    UnknownPlan,
    /// <summary>
    /// No message has the id given, or none the caller may see: to someone outside a conversation its messages do not
    /// exist.
    /// </summary>
    UnknownMessage,
    /// <summary>No active team has the id given, or none offers the member a seat or holds their seat.</summary>
    UnknownTeam,
    /// <summary>The plan is not sold with the billing period asked for (SPEC §2).</summary>
    BillingNotOffered,
    /// <summary>The member already has a subscription, or already the plan and billing asked for: change the plan instead.</summary>
    AlreadySubscribed,
    /// <summary>The member has no subscription to change or cancel.</summary>
    NoSubscription,
    /// <summary>A member tried to write to, invite or enrol themselves.</summary>
    SelfMessage,
    /// <summary>One of the two members has blocked the other; every path is closed both ways.</summary>
    Blocked,
    /// <summary>An InMail needs a subject and none was given (SPEC §5).</summary>
    SubjectRequired,
    /// <summary>The subject has more characters than the path allows (SPEC §5).</summary>
    SubjectTooLong,
    /// <summary>The body is missing or only whitespace (SPEC §5).</summary>
    BodyRequired,
    /// <summary>The body has more characters than the path allows (SPEC §5).</summary>
    BodyTooLong,
    /// <summary>A connection request's note is longer than the sender's plan allows (SPEC §5).</summary>
    NoteTooLong,
    /// <summary>The text holds control characters other than newline and tab (SPEC §5).</summary>
    InvalidCharacters,
    /// <summary>A paid InMail was asked for by a member whose plan cannot send one.</summary>
    InMailRequiresPaidPlan,
    /// <summary>The recipient has turned InMail off.</summary>
    RecipientUnavailable,
    /// <summary>A paid InMail needs a credit and the sender has no live, spendable one.</summary>
    NoCredits,
    /// <summary>The sender's InMails in the last 24 hours, paid and open-profile, are at their plan's limit.</summary>
    DailyLimitReached,
    /// <summary>The recipient received as many InMails in the last 7 days as they may.</summary>
    RecipientLimitReached,
    /// <summary>The sender already has the most InMails allowed in the conversation since the recipient last wrote.</summary>
    ThreadLimitReached,
    /// <summary>The sender is suspended for spam reports and cannot send InMail, open-profile or group messages (SPEC §6).</summary>
    SenderRestricted,
    /// <summary>A connection request to a member who is already a 1st-degree connection.</summary>
    AlreadyConnected,
    /// <summary>A connection request is already pending between the two members, either way.</summary>
    InvitationPending,
    /// <summary>There is no pending connection request to accept, ignore or withdraw.</summary>
    InvitationNotFound,
    /// <summary>The sender has sent the most connection requests allowed in a rolling 7 days.</summary>
    WeeklyInviteLimit,
    /// <summary>A member on a plan without InMail tried to buy a credit pack.</summary>
    PurchaseNotAllowed,
    /// <summary>A credit pack of a size the catalog does not sell.</summary>
    UnknownPack,
    /// <summary>Only a message's recipient may respond to it or report it.</summary>
    NotTheRecipient,
    /// <summary>Accept, decline, spam reports and outcome marks apply to InMails only, paid or open-profile.</summary>
    NotAnInMail,
    /// <summary>Only a member on a paid plan can turn Open Profile on.</summary>
    OpenProfileRequiresPremium,
    /// <summary>The member holds a team seat, or the plan is sold per team: a member holds one plan at a time.</summary>
    TeamSeatConflict,
    /// <summary>A member on the free plan has put a note on as many connection requests as allowed this calendar month.</summary>
    NoteLimitReached,
    /// <summary>The sender withdrew a request to this member too recently to invite them again.</summary>
    ReinviteTooSoon,
    /// <summary>The seat has spent as many pool credits this team cycle as its admin allows.</summary>
    SeatCapReached,
    /// <summary>The client key was already used with a different request.</summary>
    IdempotencyConflict,
    /// <summary>The member has no template with the id given.</summary>
    UnknownTemplate,
    /// <summary>The template's text is malformed, too long, or one template too many (SPEC §10).</summary>
    InvalidTemplate,
    /// <summary>A placeholder has no value for this recipient and no fallback.</summary>
    PlaceholderUnresolved,
    /// <summary>The member has no scheduled send with the id given.</summary>
    UnknownSchedule,
    /// <summary>The scheduled send already ran or was cancelled.</summary>
    ScheduleNotPending,
    /// <summary>The member has as many scheduled sends waiting as allowed.</summary>
    ScheduleLimitReached,
    /// <summary>The member has no sequence with the id given.</summary>
    UnknownSequence,
    /// <summary>The sequence is malformed, cannot be changed or deleted now, or is one too many (SPEC §10).</summary>
    InvalidSequence,
    /// <summary>The recipient already has an active enrolment in one of the member's sequences, or is named twice.</summary>
    AlreadyEnrolled,
    /// <summary>The recipient has no active enrolment in the sequence.</summary>
    NotEnrolled,
    /// <summary>The member already has the most inbox labels allowed (SPEC §11).</summary>
    LabelLimitReached,
    /// <summary>The two members have no conversation.</summary>
    UnknownConversation,
    /// <summary>A file is not one of the accepted types, too large, empty, badly named, a duplicate or one too many (SPEC §11).</summary>
    AttachmentRejected,
}

/// <summary>The stable kebab-case codes of <see cref="RefusalCode"/>, as the API and scenario scripts spell them.</summary>
public static class RefusalCodes
{
    private static readonly string[] Codes = Enum.GetValues<RefusalCode>().Select(Kebab).ToArray();
    private static readonly Dictionary<string, RefusalCode> ByCode =
        Enum.GetValues<RefusalCode>().ToDictionary(c => Codes[(int)c], StringComparer.Ordinal);

    /// <summary>The wire form, e.g. <c>no-credits</c>.</summary>
    public static string ToCode(this RefusalCode code) => Codes[(int)code];

    /// <summary>Parses a wire form; false for anything that is not one of SPEC §7's codes.</summary>
    public static bool TryParse(string? code, out RefusalCode value) => ByCode.TryGetValue(code ?? "", out value);

    /// <summary>All codes in SPEC §7's order.</summary>
    public static IReadOnlyList<string> All => Codes;

    private static string Kebab(RefusalCode code) => code switch
    {
        RefusalCode.InMailRequiresPaidPlan => "inmail-requires-paid-plan",
        RefusalCode.NotAnInMail => "not-an-inmail",
        _ => string.Concat(code.ToString().Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString())),
    };
}

/// <summary>An expected refusal: a value with a stable code and a sentence a person can act on.</summary>
/// <remarks>
/// A refusal made with <see cref="Refuse.Composed"/> writes its sentence when it is first read: the
/// rule still says it in one place, but a caller that only looks at the code (the plan advisor counts
/// hundreds of thousands of <c>daily-limit-reached</c> refusals) does not pay for formatting it.
/// Equality, hashing and printing read the sentence, so the two kinds of refusal are indistinguishable.
/// </remarks>
public sealed record Refusal
{
    private readonly Func<string>? _compose;
    private string? _message;

    /// <summary>A refusal with its code and the sentence saying what to do about it.</summary>
    public Refusal(RefusalCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Code = code;
        _message = message;
    }

    internal Refusal(RefusalCode code, Func<string> compose)
    {
        Code = code;
        _compose = compose;
    }

    /// <summary>Why the request was refused; what callers branch on.</summary>
    public RefusalCode Code { get; init; }

    /// <summary>The sentence a person can act on.</summary>
    public string Message
    {
        get => _message ??= _compose!();
        init => _message = value;
    }

    /// <summary>The code's wire form, e.g. <c>no-credits</c>.</summary>
    public string CodeText => Code.ToCode();

    /// <summary>The code and the sentence, for <c>var (code, message) = refusal</c>.</summary>
    public void Deconstruct(out RefusalCode code, out string message)
    {
        code = Code;
        message = Message;
    }

    /// <summary>Equal when the code and the sentence are, whether the sentence was written at once or composed on reading.</summary>
    public bool Equals(Refusal? other) => other is not null && Code == other.Code && string.Equals(Message, other.Message, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Code, StringComparer.Ordinal.GetHashCode(Message));

    /// <summary>The code and the sentence, as <c>no-credits: …</c>.</summary>
    public override string ToString() => $"{CodeText}: {Message}";
}

/// <summary>Either the value of a request that was carried out, or the refusal that left everything unchanged.</summary>
public readonly struct Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, Refusal? refusal)
    {
        _value = value;
        Refusal = refusal;
    }

    /// <summary>Why the request was refused; null when it was carried out.</summary>
    public Refusal? Refusal { get; }

    /// <summary>True when the request was carried out and <see cref="Value"/> holds its result.</summary>
    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsSuccess => Refusal is null;

    /// <summary>The value; throws if the request was refused, which is a bug in the caller.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"the request was refused ({Refusal})");

    /// <summary>A request carried out, with its result.</summary>
    public static Outcome<T> Success(T value) => new(value, null);

    /// <summary>A request refused, having changed nothing.</summary>
    public static Outcome<T> Refused(Refusal refusal) => new(default, refusal);

    /// <summary>Lets a rule <c>return</c> a refusal where an outcome is expected.</summary>
    public static implicit operator Outcome<T>(Refusal refusal) => Refused(refusal);

    /// <summary>Lets a rule <c>return</c> its result where an outcome is expected.</summary>
    public static implicit operator Outcome<T>(T value) => Success(value);

    /// <summary><c>ok</c> and the value, or <c>refused</c> and the refusal: for logs and test failures.</summary>
    public override string ToString() => IsSuccess ? $"ok {_value}" : $"refused {Refusal}";
}

/// <summary>Shorthands so rules read as <c>return Refuse.With(...)</c>.</summary>
public static class Refuse
{
    /// <summary>A refusal with <paramref name="code"/> and the sentence <paramref name="message"/>.</summary>
    public static Refusal With(RefusalCode code, string message) => new(code, message);

    /// <summary>
    /// A refusal whose sentence <paramref name="compose"/> writes when it is first read. What the
    /// sentence says must be captured by value when the rule refuses, never read later from state.
    /// </summary>
    internal static Refusal Composed(RefusalCode code, Func<string> compose) => new(code, compose);
}

/// <summary>The result of a command that has nothing to return but its success.</summary>
public readonly record struct Done
{
    /// <summary>The one value of <see cref="Done"/>: success, with nothing to say.</summary>
    public static readonly Done Value;
}
