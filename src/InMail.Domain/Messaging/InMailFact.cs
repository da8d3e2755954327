using InMail.Domain.Content;

namespace InMail.Domain.Messaging;

/// <summary>
/// What SPEC §9 and the Results charts need to know about one InMail a member sent, and nothing more:
/// the same few facts whether they come from a <see cref="Message"/> in memory or from a row of the
/// <c>messages</c> table, so every measure has one definition for both (decision 014).
/// </summary>
/// <param name="Path">Paid InMail or open-profile.</param>
/// <param name="SentAt">When it was sent.</param>
/// <param name="ReadAt">When the recipient first read it (a response reads it too).</param>
/// <param name="RespondedAt">The recipient's first response, if any.</param>
/// <param name="Response">What that response was.</param>
/// <param name="RefundedAt">When its credit came back, if it did.</param>
/// <param name="Mark">The sender's mark.</param>
/// <param name="Charged">True when it cost a credit.</param>
/// <param name="BodyLength">The body's length in user-perceived characters (SPEC §5).</param>
/// <param name="RecipientTimeZone">The recipient's IANA time zone, or null (then UTC).</param>
public readonly record struct InMailFact(
    SendPath Path,
    DateTimeOffset SentAt,
    DateTimeOffset? ReadAt,
    DateTimeOffset? RespondedAt,
    ResponseKind? Response,
    DateTimeOffset? RefundedAt,
    SenderMark? Mark,
    bool Charged,
    int BodyLength,
    string? RecipientTimeZone)
{
    /// <summary>Opened: read by the recipient.</summary>
    public bool Opened => ReadAt is not null;

    /// <summary>Responded: the recipient's first response, of any kind.</summary>
    public bool Responded => RespondedAt is not null;

    /// <summary>Accepted: the response was an accept.</summary>
    public bool Accepted => Response == ResponseKind.Accept;

    /// <summary>Positive: accepted, or marked positive or meeting booked by the sender (a booked meeting is positive too).</summary>
    public bool Positive => Accepted || Mark is not null;

    /// <summary>A meeting booked: so marked by the sender.</summary>
    public bool Meeting => Mark == SenderMark.MeetingBooked;

    /// <summary>Its credit came back.</summary>
    public bool Refunded => Charged && RefundedAt is not null;

    /// <summary>First response − send, when there was a response.</summary>
    public TimeSpan? TimeToFirstReply => RespondedAt - SentAt;

    /// <summary>Shorter than <see cref="OutreachMeasures.ShortBodyLimit"/> characters (the seed: under 400 does better).</summary>
    public bool IsShort => BodyLength < OutreachMeasures.ShortBodyLimit;

    /// <summary>The facts of an InMail in memory; its body is measured here, once.</summary>
    public static InMailFact Of(Message message, string? recipientTimeZone = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new InMailFact(message.Path, message.SentAt, message.ReadAt, message.RespondedAt, message.Response, message.RefundedAt,
            message.Mark, message.Charge is not null, TextRules.Length(message.Body), recipientTimeZone);
    }
}
