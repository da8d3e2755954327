using InMail.Domain.Network;

namespace InMail.Domain.WorkingSet;

/// <summary>The kinds of aggregate the state is partitioned into (decision 007).</summary>
public enum AggregateKind
{
    /// <summary>A member with their wallet, activity, inbox, conversation list, invitations sent and withdrawals.</summary>
    Member,

    /// <summary>A team with its pool.</summary>
    Team,

    /// <summary>A group and its members.</summary>
    Group,

    /// <summary>The conversation of two members with its messages.</summary>
    Conversation,

    /// <summary>System-wide counters (the message sequence).</summary>
    Globals,

    /// <summary>
    /// A member's notifications: a document of their own beside the member's, written only when they change and read only
    /// when they are asked for, so that a send does not rewrite 200 notifications. In memory they are part of the member.
    /// </summary>
    Notifications,
}

/// <summary>
/// Names one aggregate: a member, team or group by id, a conversation by its pair, or the globals.
/// Its <see cref="ToString"/> form (<c>m:alice</c>, <c>c:alice~bob</c>) is what storage keys rows and locks by.
/// </summary>
/// <param name="Kind">A member, a team, a group, a conversation, or the globals.</param>
/// <param name="Id">The member, team or group id; <c>a~b</c> for a conversation; <c>ids</c> for the globals.</param>
public readonly record struct AggregateKey(AggregateKind Kind, string Id)
{
    /// <summary>The single key of the system-wide counters.</summary>
    public static AggregateKey Globals { get; } = new(AggregateKind.Globals, "ids");

    /// <summary>The key of the member <paramref name="id"/>, <c>m:id</c>.</summary>
    public static AggregateKey ForMember(string id) => new(AggregateKind.Member, id);

    /// <summary>The key of the team <paramref name="id"/>, <c>t:id</c>.</summary>
    public static AggregateKey ForTeam(string id) => new(AggregateKind.Team, id);

    /// <summary>The key of the group <paramref name="id"/>, <c>g:id</c>.</summary>
    public static AggregateKey ForGroup(string id) => new(AggregateKind.Group, id);

    /// <summary>The document of a member's notifications (<see cref="AggregateKind.Notifications"/>).</summary>
    public static AggregateKey ForNotifications(string memberId) => new(AggregateKind.Notifications, memberId);

    // '~' cannot occur in an identifier, so the pair's two ids stay apart.
    /// <summary>The key of the conversation of <paramref name="pair"/>, <c>c:a~b</c>.</summary>
    public static AggregateKey ForConversation(MemberPair pair) => new(AggregateKind.Conversation, $"{pair.A}~{pair.B}");

    /// <summary>The conversation's pair (only for a conversation key).</summary>
    public MemberPair Pair
    {
        get
        {
            if (Kind != AggregateKind.Conversation)
            {
                throw new InvalidOperationException($"{this} is not a conversation");
            }
            var cut = Id.IndexOf('~', StringComparison.Ordinal);
            return new MemberPair(Id[..cut], Id[(cut + 1)..]);
        }
    }

    /// <summary>
    /// The written form, a kind letter and the id: <c>m:alice</c>, <c>t:acme</c>, <c>g:rust</c>, <c>c:alice~bob</c>,
    /// <c>x:ids</c>.
    /// </summary>
    public override string ToString() => $"{Prefix(Kind)}:{Id}";

    /// <summary>Reads the <see cref="ToString"/> form back.</summary>
    public static AggregateKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cut = text.IndexOf(':', StringComparison.Ordinal);
        if (cut != 1)
        {
            throw new FormatException($"'{text}' is not an aggregate key");
        }
        var kind = text[0] switch
        {
            'm' => AggregateKind.Member,
            't' => AggregateKind.Team,
            'g' => AggregateKind.Group,
            'c' => AggregateKind.Conversation,
            'x' => AggregateKind.Globals,
            'n' => AggregateKind.Notifications,
            _ => throw new FormatException($"'{text}' is not an aggregate key"),
        };
        return new AggregateKey(kind, text[2..]);
    }

    private static char Prefix(AggregateKind kind) => kind switch
    {
        AggregateKind.Member => 'm',
        AggregateKind.Team => 't',
        AggregateKind.Group => 'g',
        AggregateKind.Conversation => 'c',
        AggregateKind.Globals => 'x',
        AggregateKind.Notifications => 'n',
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown aggregate kind"),
    };
}
