using InMail.Domain.Network;

namespace InMail.Domain.Messaging;

/// <summary>
/// The one conversation two members have. It knows who has written, how many InMails each side
/// sent since the other last wrote, and each side's inbox state (archived, last activity).
/// </summary>
public sealed class Conversation
{
    private readonly List<Message> _messages = [];
    private readonly Dictionary<string, Side> _sides = new(StringComparer.Ordinal);

    internal Conversation(MemberPair pair, DateTimeOffset startedAt)
    {
        Pair = pair;
        _sides[pair.A] = new Side();
        _sides[pair.B] = new Side();
        LastActivityAt = startedAt;
    }

    public MemberPair Pair { get; }
    public IReadOnlyList<Message> Messages => _messages;
    public DateTimeOffset LastActivityAt { get; private set; }

    /// <summary>True once <paramref name="member"/> has written anything into this conversation.</summary>
    public bool HasWritten(string member) => _sides[member].LastWroteAt is not null;

    /// <summary>InMails <paramref name="member"/> sent here since the other member last wrote.</summary>
    public int InMailsSinceOtherWrote(string member) => _sides[member].InMailStreak;

    public bool IsArchivedFor(string member) => _sides[member].Archived;

    /// <summary>Messages to <paramref name="member"/> they have not read.</summary>
    public int UnreadFor(string member) => _messages.Count(m => m.To == member && m.ReadAt is null);

    /// <summary>InMails from <paramref name="sender"/> still waiting for a response.</summary>
    public IEnumerable<Message> AwaitingResponse(string sender) =>
        _messages.Where(m => m.From == sender && m.IsInMail && m.RespondedAt is null);

    public Message? Last => _messages.Count == 0 ? null : _messages[^1];

    internal void Add(Message message)
    {
        _messages.Add(message);
        var writer = _sides[message.From];
        writer.LastWroteAt = message.SentAt;
        if (message.IsInMail)
        {
            writer.InMailStreak = checked(writer.InMailStreak + 1);
        }
        _sides[message.To].InMailStreak = 0;
        LastActivityAt = message.SentAt;
    }

    /// <summary>Moves the conversation in or out of <paramref name="member"/>'s archive; returns whether it changed.</summary>
    internal bool SetArchived(string member, bool archived)
    {
        var side = _sides[member];
        if (side.Archived == archived)
        {
            return false;
        }
        side.Archived = archived;
        return true;
    }

    private sealed class Side
    {
        public DateTimeOffset? LastWroteAt { get; set; }
        public int InMailStreak { get; set; }
        public bool Archived { get; set; }
    }
}
