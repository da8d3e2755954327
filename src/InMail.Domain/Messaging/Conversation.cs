using InMail.Domain.Network;

namespace InMail.Domain.Messaging;

/// <summary>A member's "remind me" on a conversation (SPEC §11): when, whether a reply from the other member cancels it, and when it was set.</summary>
/// <param name="At">When it falls due.</param>
/// <param name="UnlessReply">True when a message from the other member after <paramref name="SetAt"/> cancels it.</param>
/// <param name="SetAt">When the member set it.</param>
public sealed record ConversationReminder(DateTimeOffset At, bool UnlessReply, DateTimeOffset SetAt);

/// <summary>
/// The one conversation two members have. It knows who has written, how many InMails each side
/// sent since the other last wrote, and each side's inbox state (archived, last activity).
/// </summary>
public sealed class Conversation
{
    private readonly List<Message> _messages = [];

    // One side per member of the pair; two fields, not a dictionary: the inbox cap reads a side of
    // every conversation of a member, and a send may create a conversation.
    private readonly Side _a = new();
    private readonly Side _b = new();

    internal Conversation(MemberPair pair, DateTimeOffset startedAt)
    {
        Pair = pair;
        LastActivityAt = startedAt;
    }

    /// <summary>The two members of the conversation.</summary>
    public MemberPair Pair { get; }

    /// <summary>Every message either member wrote here, oldest first; nothing is ever deleted.</summary>
    public IReadOnlyList<Message> Messages => _messages;

    /// <summary>When the last message was sent (when the conversation started, before any); the inbox orders by it.</summary>
    public DateTimeOffset LastActivityAt { get; private set; }

    /// <summary>True once <paramref name="member"/> has written anything into this conversation.</summary>
    public bool HasWritten(string member) => SideOf(member).LastWroteAt is not null;

    /// <summary>InMails <paramref name="member"/> sent here since the other member last wrote.</summary>
    public int InMailsSinceOtherWrote(string member) => SideOf(member).InMailStreak;

    /// <summary>True while the conversation is in <paramref name="member"/>'s archive, by their choice or the inbox cap.</summary>
    public bool IsArchivedFor(string member) => SideOf(member).Archived;

    /// <summary>True while the conversation is in <paramref name="member"/>'s active inbox: neither archived nor snoozed.</summary>
    public bool IsActiveFor(string member) => SideOf(member) is { Archived: false, SnoozedUntil: null };

    /// <summary>Until when <paramref name="member"/> snoozed the conversation (SPEC §11), while it is snoozed.</summary>
    public DateTimeOffset? SnoozedUntil(string member) => SideOf(member).SnoozedUntil;

    /// <summary><paramref name="member"/>'s reminder on the conversation, while it is pending.</summary>
    public ConversationReminder? ReminderFor(string member) => SideOf(member).Reminder;

    /// <summary>True when a snooze or reminder brought the conversation back marked unread and <paramref name="member"/> has not read it since.</summary>
    public bool IsMarkedUnreadFor(string member) => SideOf(member).MarkedUnread;

    /// <summary>The conversation's activity as <paramref name="member"/>'s inbox orders it: its last message, or later when a snooze or reminder brought it back on top.</summary>
    public DateTimeOffset ActivityFor(string member) => SideOf(member).BumpedAt is { } bumped && bumped > LastActivityAt ? bumped : LastActivityAt;

    /// <summary>Messages to <paramref name="member"/> they have not read.</summary>
    public int UnreadFor(string member) => _messages.Count(m => m.To == member && m.ReadAt is null);

    /// <summary>InMails from <paramref name="sender"/> still waiting for a response.</summary>
    public IEnumerable<Message> AwaitingResponse(string sender) =>
        _messages.Where(m => m.From == sender && m.IsInMail && m.RespondedAt is null);

    /// <summary>The newest message; null before the first.</summary>
    public Message? Last => _messages.Count == 0 ? null : _messages[^1];

    /// <summary>
    /// The ids of the labels <paramref name="member"/> put on this conversation (SPEC §11), smallest
    /// first; an id whose label was deleted may remain until the labels here change (readers ask the
    /// member which ids are still labels).
    /// </summary>
    public IReadOnlyCollection<int> LabelIdsFor(string member) => SideOf(member).Labels;

    /// <summary>Each side's state (for working-set documents): when it last wrote, its InMails since the other wrote, archived, labels.</summary>
    internal (DateTimeOffset? LastWroteAt, int InMailStreak, bool Archived, IReadOnlyCollection<int> Labels) SideState(string member)
    {
        var side = SideOf(member);
        return (side.LastWroteAt, side.InMailStreak, side.Archived, side.Labels);
    }

    internal void Restore(DateTimeOffset lastActivity, (DateTimeOffset? LastWroteAt, int InMailStreak, bool Archived, IReadOnlyCollection<int> Labels) a,
        (DateTimeOffset? LastWroteAt, int InMailStreak, bool Archived, IReadOnlyCollection<int> Labels) b, IEnumerable<Message> messages)
    {
        LastActivityAt = lastActivity;
        (_a.LastWroteAt, _a.InMailStreak, _a.Archived) = (a.LastWroteAt, a.InMailStreak, a.Archived);
        (_b.LastWroteAt, _b.InMailStreak, _b.Archived) = (b.LastWroteAt, b.InMailStreak, b.Archived);
        _a.Labels.UnionWith(a.Labels);
        _b.Labels.UnionWith(b.Labels);
        _messages.AddRange(messages);
    }

    internal void Snooze(string member, DateTimeOffset? until) => SideOf(member).SnoozedUntil = until;

    internal void SetReminder(string member, ConversationReminder? reminder) => SideOf(member).Reminder = reminder;

    internal void SetMarkedUnread(string member, bool unread) => SideOf(member).MarkedUnread = unread;

    /// <summary>Brings the conversation back on top of <paramref name="member"/>'s inbox at <paramref name="at"/>.</summary>
    internal void Bump(string member, DateTimeOffset at) => SideOf(member).BumpedAt = at;

    /// <summary>The inbox-workspace state of a side (for working-set documents).</summary>
    internal (DateTimeOffset? SnoozedUntil, ConversationReminder? Reminder, DateTimeOffset? BumpedAt, bool MarkedUnread) Workspace(string member)
    {
        var side = SideOf(member);
        return (side.SnoozedUntil, side.Reminder, side.BumpedAt, side.MarkedUnread);
    }

    internal void RestoreWorkspace(string member, (DateTimeOffset? SnoozedUntil, ConversationReminder? Reminder, DateTimeOffset? BumpedAt, bool MarkedUnread) w)
    {
        var side = SideOf(member);
        (side.SnoozedUntil, side.Reminder, side.BumpedAt, side.MarkedUnread) = w;
    }

    /// <summary>Sets <paramref name="member"/>'s labels here to <paramref name="ids"/>; returns whether they changed.</summary>
    internal bool SetLabels(string member, IEnumerable<int> ids)
    {
        var side = SideOf(member);
        var next = new SortedSet<int>(ids);
        if (side.Labels.SetEquals(next))
        {
            return false;
        }
        side.Labels.Clear();
        side.Labels.UnionWith(next);
        return true;
    }

    internal void Add(Message message)
    {
        _messages.Add(message);
        var writer = SideOf(message.From);
        writer.LastWroteAt = message.SentAt;
        if (message.IsInMail)
        {
            writer.InMailStreak = checked(writer.InMailStreak + 1);
        }
        SideOf(message.To).InMailStreak = 0;
        LastActivityAt = message.SentAt;
    }

    /// <summary>Moves the conversation in or out of <paramref name="member"/>'s archive; returns whether it changed.</summary>
    internal bool SetArchived(string member, bool archived)
    {
        var side = SideOf(member);
        if (side.Archived == archived)
        {
            return false;
        }
        side.Archived = archived;
        return true;
    }

    private Side SideOf(string member) =>
        string.Equals(member, Pair.A, StringComparison.Ordinal) ? _a
        : string.Equals(member, Pair.B, StringComparison.Ordinal) ? _b
        : throw new KeyNotFoundException($"{member} is not in the conversation {Pair}");

    private sealed class Side
    {
        public DateTimeOffset? LastWroteAt { get; set; }
        public int InMailStreak { get; set; }
        public bool Archived { get; set; }
        public SortedSet<int> Labels { get; } = [];
        public DateTimeOffset? SnoozedUntil { get; set; }
        public ConversationReminder? Reminder { get; set; }
        public DateTimeOffset? BumpedAt { get; set; }
        public bool MarkedUnread { get; set; }
    }
}
