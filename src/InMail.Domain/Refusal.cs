using System.Diagnostics.CodeAnalysis;

namespace InMail.Domain;

/// <summary>Every reason the system refuses a request (SPEC §7). The wire form is <see cref="RefusalCodes.ToCode"/>.</summary>
public enum RefusalCode
{
    InvalidInput,
    UnknownMember,
    UnknownPlan,
    UnknownMessage,
    UnknownTeam,
    BillingNotOffered,
    AlreadySubscribed,
    NoSubscription,
    SelfMessage,
    Blocked,
    SubjectRequired,
    SubjectTooLong,
    BodyRequired,
    BodyTooLong,
    NoteTooLong,
    InvalidCharacters,
    InMailRequiresPaidPlan,
    RecipientUnavailable,
    NoCredits,
    DailyLimitReached,
    RecipientLimitReached,
    ThreadLimitReached,
    SenderRestricted,
    AlreadyConnected,
    InvitationPending,
    InvitationNotFound,
    WeeklyInviteLimit,
    PurchaseNotAllowed,
    UnknownPack,
    NotTheRecipient,
    NotAnInMail,
    OpenProfileRequiresPremium,
    TeamSeatConflict,
    NoteLimitReached,
    ReinviteTooSoon,
    SeatCapReached,
    IdempotencyConflict,
    UnknownTemplate,
    InvalidTemplate,
    PlaceholderUnresolved,
    UnknownSchedule,
    ScheduleNotPending,
    ScheduleLimitReached,
    UnknownSequence,
    InvalidSequence,
    AlreadyEnrolled,
    NotEnrolled,
    LabelLimitReached,
    UnknownConversation,
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

    public RefusalCode Code { get; init; }

    /// <summary>The sentence a person can act on.</summary>
    public string Message
    {
        get => _message ??= _compose!();
        init => _message = value;
    }

    public string CodeText => Code.ToCode();

    public void Deconstruct(out RefusalCode code, out string message)
    {
        code = Code;
        message = Message;
    }

    public bool Equals(Refusal? other) => other is not null && Code == other.Code && string.Equals(Message, other.Message, StringComparison.Ordinal);

    public override int GetHashCode() => HashCode.Combine(Code, StringComparer.Ordinal.GetHashCode(Message));

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

    public Refusal? Refusal { get; }

    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool IsSuccess => Refusal is null;

    /// <summary>The value; throws if the request was refused, which is a bug in the caller.</summary>
    public T Value => IsSuccess ? _value! : throw new InvalidOperationException($"the request was refused ({Refusal})");

    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Refused(Refusal refusal) => new(default, refusal);

    public static implicit operator Outcome<T>(Refusal refusal) => Refused(refusal);

    public static implicit operator Outcome<T>(T value) => Success(value);

    public override string ToString() => IsSuccess ? $"ok {_value}" : $"refused {Refusal}";
}

/// <summary>Shorthands so rules read as <c>return Refuse.With(...)</c>.</summary>
public static class Refuse
{
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
    public static readonly Done Value;
}
