using InMail.Domain.Catalog;
using InMail.Domain.Messaging;

namespace InMail.Domain.Content;

/// <summary>Whether a kind of text takes a subject (SPEC §5).</summary>
public enum SubjectRule
{
    /// <summary>No subject: one sent is ignored (a message in an open conversation, a note).</summary>
    None,

    /// <summary>A subject may be given (a group message).</summary>
    Optional,

    /// <summary>A subject must be given (an InMail, paid or open-profile).</summary>
    Required,
}

/// <summary>
/// The content limits of one kind of text, as the checks apply them: whether it has a subject and how
/// long it may be, and how long the body may be. Pages and the API show these instead of restating them.
/// </summary>
/// <param name="Subject">Whether a subject is required, optional or not taken.</param>
/// <param name="SubjectMaxLength">The longest subject, in user-perceived characters (0 when there is none).</param>
/// <param name="BodyRequired">Whether the body (for a note: the note) must be given.</param>
/// <param name="BodyMaxLength">The longest body, in user-perceived characters.</param>
public sealed record ContentLimits(SubjectRule Subject, int SubjectMaxLength, bool BodyRequired, int BodyMaxLength)
{
    /// <summary>The limits of <paramref name="kind"/> under <paramref name="policy"/>; a note's length depends on the sender's plan.</summary>
    public static ContentLimits Of(TextKind kind, Policy policy, bool paidSender = true)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return kind switch
        {
            TextKind.InMail => new(SubjectRule.Required, policy.SubjectMaxLength, true, policy.InMailBodyMaxLength),
            TextKind.GroupMessage => new(SubjectRule.Optional, policy.SubjectMaxLength, true, policy.InMailBodyMaxLength),
            TextKind.Message => new(SubjectRule.None, 0, true, policy.MessageBodyMaxLength),
            TextKind.Note => new(SubjectRule.None, 0, false, paidSender ? policy.PaidNoteMaxLength : policy.BasicNoteMaxLength),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown kind of text"),
        };
    }

    /// <summary>The kind of text a send on <paramref name="path"/> is checked as.</summary>
    public static TextKind KindOf(SendPath path) => path switch
    {
        SendPath.Message => TextKind.Message,
        SendPath.Group => TextKind.GroupMessage,
        SendPath.OpenProfile or SendPath.InMail => TextKind.InMail,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "unknown path"),
    };
}
