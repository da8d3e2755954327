using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain;

public sealed partial class InMailEngine
{
    /// <summary>
    /// The member's notifications (SPEC §11), oldest first, after catching up to
    /// <paramref name="now"/>: what fell due while nobody looked is there, stamped when it fell due.
    /// </summary>
    public Outcome<IReadOnlyList<Notification>> Notifications(DateTimeOffset now, string memberId)
    {
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        CatchUp(now, found.Value);
        return found.Value.Notifications.OrderBy(n => n.At).ThenBy(n => n.Id).ToList();
    }

    /// <summary>Marks the member's notifications read, all of them or those up to <paramref name="upTo"/> (an id); returns how many were unread.</summary>
    public Outcome<int> ReadNotifications(DateTimeOffset now, string memberId, long? upTo)
    {
        var found = Member(memberId, "member");
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        CatchUp(now, found.Value);
        return found.Value.MarkNotificationsRead(upTo, now);
    }

    private void Notify(Member member, string kind, DateTimeOffset at, string? about, string text) =>
        member.Notify(kind, at, about, text, Policy.NotificationsKept);

    private TimeSpan NotificationLead => TimeSpan.FromDays(Policy.NotificationLeadDays);

    /// <summary>
    /// When the member's next warning falls due (SPEC §11): a lot holding credits expires in a week,
    /// or a paid InMail's refund window closes in a week; null when none is due by <paramref name="now"/>.
    /// </summary>
    private DateTimeOffset? NextWarning(Member member, DateTimeOffset now)
    {
        DateTimeOffset? next = member.NextRefundWatch?.WarnAt;
        foreach (var lot in member.Wallet.LotsHoldingCredits)
        {
            var warnAt = lot.Expires - NotificationLead;
            if (lot.Remaining > 0 && warnAt > (member.ExpiryWarnedUpTo ?? DateTimeOffset.MinValue) && lot.GrantedAt < warnAt && (next is null || warnAt < next))
            {
                next = warnAt;
            }
        }
        return next <= now ? next : null;
    }

    /// <summary>Gives the warnings that fall due at <paramref name="at"/>, in the order of the catch-up.</summary>
    private void Warn(Member member, DateTimeOffset at)
    {
        foreach (var lot in member.Wallet.LotsHoldingCredits.Where(l => l.Remaining > 0 && l.Expires - NotificationLead == at && l.GrantedAt < at))
        {
            Notify(member, NotificationKinds.CreditsExpiring, at, $"lot-{lot.Id}",
                $"{lot.Remaining} InMail credit{(lot.Remaining == 1 ? "" : "s")} ({lot.Source.ToName()}) expire on {UtcCalendar.Format(lot.Expires)}: use them before then.");
        }
        if (member.ExpiryWarnedUpTo is not { } upTo || upTo < at)
        {
            member.ExpiryWarnedUpTo = at;
        }
        while (member.NextRefundWatch is { } watch && watch.WarnAt == at)
        {
            member.Unwatch(watch);
            // A response is recorded after its responder's and sender's catch-up, so one before this instant is already here.
            if (State.FindMessage(watch.MessageId) is { RespondedAt: null, RefundedAt: null, Charge: not null } inmail)
            {
                var to = State.FindMember(watch.To)?.Profile.Name ?? watch.To;
                Notify(member, NotificationKinds.RefundWindowClosing, at, inmail.Id,
                    $"Your InMail to {to} has had no response; if none comes by {UtcCalendar.Format(inmail.SentAt + TimeSpan.FromDays(Policy.RefundWindowDays))}, its credit stays spent.");
            }
        }
    }
}
