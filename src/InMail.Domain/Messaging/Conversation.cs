using InMail.Domain.Network;

namespace InMail.Domain.Messaging;

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

    public MemberPair Pair { get; }
    public IReadOnlyList<Message> Messages => _messages;
    public DateTimeOffset LastActivityAt { get; private set; }

    /// <summary>True once <paramref name="member"/> has written anything into this conversation.</summary>
    public bool HasWritten(string member) => SideOf(member).LastWroteAt is not null;

    /// <summary>InMails <paramref name="member"/> sent here since the other member last wrote.</summary>
    public int InMailsSinceOtherWrote(string member) => SideOf(member).InMailStreak;

    public bool IsArchivedFor(string member) => SideOf(member).Archived;

    /// <summary>Messages to <paramref name="member"/> they have not read.</summary>
    public int UnreadFor(string member) => _messages.Count(m => m.To == member && m.ReadAt is null);

    /// <summary>InMails from <paramref name="sender"/> still waiting for a response.</summary>
    public IEnumerable<Message> AwaitingResponse(string sender) =>
        _messages.Where(m => m.From == sender && m.IsInMail && m.RespondedAt is null);

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
    }
}
