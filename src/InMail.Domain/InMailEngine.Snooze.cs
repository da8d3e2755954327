using InMail.Domain.Messaging;
using InMail.Domain.Time;

namespace InMail.Domain;

public sealed partial class InMailEngine
{
    /// <summary>
    /// Hides the member's conversation with <paramref name="otherId"/> from their active inbox until
    /// <paramref name="until"/> (SPEC §11); it comes back on top and marked unread then, or as soon as
    /// the other member writes. Snoozing again moves the instant.
    /// </summary>
    public Outcome<Conversation> Snooze(DateTimeOffset now, string memberId, string otherId, DateTimeOffset until)
    {
        var found = WorkspaceConversation(memberId, otherId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        if (until <= now)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"A snooze lasts until a later instant than now ({UtcCalendar.Format(now)}).");
        }
        var (member, conversation) = found.Value;
        if (conversation.IsActiveFor(member))
        {
            State.InboxOf(member).Remove(conversation, member);
        }
        conversation.Snooze(member, until);
        return conversation;
    }

    /// <summary>Ends a snooze now, as if it had fallen due (back on top, marked unread); <c>invalid-input</c> when it is not snoozed.</summary>
    public Outcome<Conversation> Unsnooze(DateTimeOffset now, string memberId, string otherId)
    {
        var found = WorkspaceConversation(memberId, otherId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (member, conversation) = found.Value;
        if (conversation.SnoozedUntil(member) is null)
        {
            return Refuse.With(RefusalCode.InvalidInput, "That conversation is not snoozed.");
        }
        BringBack(now, member, conversation);
        return conversation;
    }

    /// <summary>
    /// "Remind me" at <paramref name="at"/> (SPEC §11): then a <c>reminder</c> notification and the
    /// conversation back on top, unless <paramref name="unlessReply"/> and the other member wrote after
    /// it was set. One reminder per conversation: setting another replaces it.
    /// </summary>
    public Outcome<Conversation> Remind(DateTimeOffset now, string memberId, string otherId, DateTimeOffset at, bool unlessReply)
    {
        var found = WorkspaceConversation(memberId, otherId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        if (at <= now)
        {
            return Refuse.With(RefusalCode.InvalidInput, $"A reminder is for a later instant than now ({UtcCalendar.Format(now)}).");
        }
        var (member, conversation) = found.Value;
        conversation.SetReminder(member, new ConversationReminder(at, unlessReply, now));
        return conversation;
    }

    /// <summary>Cancels the member's pending reminder on a conversation; <c>invalid-input</c> when there is none.</summary>
    public Outcome<Conversation> CancelReminder(DateTimeOffset now, string memberId, string otherId)
    {
        _ = now;
        var found = WorkspaceConversation(memberId, otherId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (member, conversation) = found.Value;
        if (conversation.ReminderFor(member) is null)
        {
            return Refuse.With(RefusalCode.InvalidInput, "There is no reminder on that conversation.");
        }
        conversation.SetReminder(member, null);
        return conversation;
    }

    /// <summary>
    /// Runs a snooze's end or a reminder that fell due (the scheduler's command, <paramref name="kind"/>
    /// "snooze" or "reminder"). Never early; once only (<c>invalid-input</c> when there is nothing due).
    /// </summary>
    public Outcome<Conversation> RunTimer(DateTimeOffset now, string memberId, string otherId, string kind)
    {
        var found = WorkspaceConversation(memberId, otherId);
        if (!found.IsSuccess)
        {
            return found.Refusal;
        }
        var (member, conversation) = found.Value;
        switch (kind)
        {
            case TimerKinds.Snooze when conversation.SnoozedUntil(member) is { } until && until <= now:
                BringBack(now, member, conversation);
                return conversation;
            case TimerKinds.Reminder when conversation.ReminderFor(member) is { } reminder && reminder.At <= now:
                conversation.SetReminder(member, null);
                var other = State.LoadedMember(otherId);
                CatchUp(now, State.LoadedMember(member));
                Notify(State.LoadedMember(member), NotificationKinds.Reminder, now, other.Id,
                    $"Reminder: your conversation with {other.Profile.Name}{(reminder.UnlessReply ? " has had no reply since you set it" : "")}.");
                BringBack(now, member, conversation);
                return conversation;
            default:
                return Refuse.With(RefusalCode.InvalidInput, $"Nothing of kind '{kind}' is due on that conversation at {UtcCalendar.Format(now)}.");
        }
    }

    /// <summary>Snoozes that end and reminders that fall due by <paramref name="upTo"/>, for the conversations in memory.</summary>
    internal IEnumerable<Commands.DueWorkItem> DueTimers(DateTimeOffset upTo)
    {
        foreach (var c in State.ConversationIndex.Values)
        {
            foreach (var member in new[] { c.Pair.A, c.Pair.B })
            {
                var w = c.Workspace(member);
                if (w.SnoozedUntil is { } until && until <= upTo)
                {
                    yield return new Commands.DueWorkItem(until, until, member, TimerKinds.Snooze, c.Pair.Other(member), Commands.DueWorkKind.Snooze);
                }
                if (w.Reminder is { } r && r.At <= upTo)
                {
                    yield return new Commands.DueWorkItem(r.At, r.SetAt, member, TimerKinds.Reminder, c.Pair.Other(member), Commands.DueWorkKind.Reminder);
                }
            }
        }
    }

    /// <summary>Back on top and marked unread, out of the archive and the snooze.</summary>
    private void BringBack(DateTimeOffset now, string member, Conversation conversation)
    {
        if (conversation.IsActiveFor(member))
        {
            State.InboxOf(member).Remove(conversation, member);
        }
        conversation.Snooze(member, null);
        conversation.SetArchived(member, false);
        conversation.Bump(member, now);
        conversation.SetMarkedUnread(member, true);
        State.InboxOf(member).Add(conversation, member);
        EnforceInboxCap(member, conversation);
    }

    private Outcome<(string Member, Conversation Conversation)> WorkspaceConversation(string memberId, string otherId)
    {
        var pair = Members(memberId, "member", otherId, "other member");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (member, other) = pair.Value;
        return State.FindConversation(member.Id, other.Id) is { } conversation
            ? (member.Id, conversation)
            : Refuse.With(RefusalCode.UnknownConversation, $"You have no conversation with {other.Profile.Name}.");
    }
}

/// <summary>The kinds of conversation timer (SPEC §11), as due work names them.</summary>
public static class TimerKinds
{
    /// <summary>The end of a snooze: the conversation comes back on top, marked unread.</summary>
    public const string Snooze = "snooze";

    /// <summary>A "remind me": a <c>reminder</c> notification and the conversation back on top, unless a reply cancelled it.</summary>
    public const string Reminder = "reminder";
}
