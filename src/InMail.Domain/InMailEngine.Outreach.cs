using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Domain;

public sealed partial class InMailEngine
{
    /// <summary>
    /// The sender marks an InMail's outcome, or clears the mark with null. Anyone but the sender is
    /// told the message is unknown, so a mark cannot be used to learn that someone else's message exists.
    /// </summary>
    public Outcome<Message> MarkOutcome(string memberId, string messageId, SenderMark? mark)
    {
        var found = Member(memberId, "sender");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var message = State.FindMessage(messageId);
        if (message is null || message.From != found.Value.Id)
        {
            return Refuse.With(RefusalCode.UnknownMessage, $"There is no message '{messageId}' that you sent.");
        }
        if (!message.IsInMail)
        {
            return Refuse.With(RefusalCode.NotAnInMail, "Only InMails (paid or open-profile) have an outcome to mark.");
        }
        message.SetMark(mark);
        NoteStepMessage(message);
        return message;
    }

    /// <summary>
    /// SPEC §9 for the InMails <paramref name="memberId"/> sent at <c>from ≤ sent &lt; to</c> (either
    /// bound may be null), from the conversations in memory. Reads only, after bringing the member's plan up to date.
    /// The Results page and the API read the same facts from the tables instead (decision 014).
    /// </summary>
    public Outcome<OutreachReport> Outreach(DateTimeOffset now, string memberId, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        var price = OutreachPrice(now, memberId, from, to);
        if (!price.IsSuccess)
        {
            return price.Refusal;
        }
        var member = State.FindMember(memberId)!;
        return OutreachReport.Of(member.Id, from, to, price.Value, OutreachFacts(member.Id, from, to));
    }

    /// <summary>
    /// Checks an outreach request (a known member, <c>from</c> before <c>to</c>), brings the member's plan
    /// up to date and says what a credit costs them now: all a report needs besides the InMails' facts.
    /// </summary>
    public Outcome<CreditPrice> OutreachPrice(DateTimeOffset now, string memberId, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (from is { } f && to is { } t && f >= t)
        {
            return Refuse.With(RefusalCode.InvalidInput, "from must be earlier than to.");
        }
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        CatchUp(now, found.Value);
        return CreditPriceOf(found.Value);
    }

    /// <summary>The facts of the InMails <paramref name="memberId"/> sent with from ≤ sent &lt; to, oldest first, from the conversations in memory.</summary>
    public List<InMailFact> OutreachFacts(string memberId, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        State.ConversationsOf(memberId)
            .SelectMany(c => c.Messages)
            .Where(m => m.From == memberId && m.IsInMail && (from is null || m.SentAt >= from) && (to is null || m.SentAt < to))
            .OrderBy(m => m.SentAt)
            .Select(m => InMailFact.Of(m, State.FindMember(m.To)?.Profile.TimeZone))
            .ToList();

    /// <summary>What one credit costs the member now (decision 006): their paid plan's monthly price per credit, else the pack price.</summary>
    public CreditPrice CreditPriceOf(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var subscription = member.Subscription
            ?? (State.FindTeam(member.TeamId) is { IsActive: true } team ? team.Subscription : null);
        if (subscription is { Plan: { Paid: true, CreditsPerCycle: > 0 } plan }
            && plan.Billing(subscription.Billing)?.PricePerMonthCents is { } monthly)
        {
            return new CreditPrice(monthly, plan.CreditsPerCycle, plan.Id);
        }
        return new CreditPrice(Policy.CreditPriceCents, 1, "pack");
    }
}
