using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Domain;

/// <summary>
/// Everything the engine knows, held in memory. Only <see cref="InMailEngine"/> changes it; readers
/// get read-only views. One instance is one system: the replay command makes a fresh one per script.
/// </summary>
public sealed class InMailState
{
    internal IdSequences Ids { get; } = new();
    internal Dictionary<string, Member> MemberIndex { get; } = new(StringComparer.Ordinal);

    /// <summary>Every member id under its case-insensitive form: no two members' ids differ only by case.</summary>
    internal Dictionary<string, string> MemberIdsIgnoringCase { get; } = new(StringComparer.OrdinalIgnoreCase);
    internal Dictionary<string, Team> TeamIndex { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, Group> GroupIndex { get; } = new(StringComparer.Ordinal);
    internal Dictionary<MemberPair, Conversation> ConversationIndex { get; } = [];
    internal Dictionary<string, List<Conversation>> ConversationsByMember { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, ActiveInbox> ActiveInboxes { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, (Conversation Conversation, Message Message)> MessageIndex { get; } = new(StringComparer.Ordinal);
    internal Dictionary<(string From, string To), Invitation> InvitationIndex { get; } = [];
    internal Dictionary<(string From, string To), DateTimeOffset> Withdrawals { get; } = [];
    internal Dictionary<(string Actor, string Key), IdempotencyRecord> IdempotencyIndex { get; } = [];

    public IReadOnlyCollection<Member> Members => MemberIndex.Values;
    public IReadOnlyCollection<Team> Teams => TeamIndex.Values;
    public IReadOnlyCollection<Group> Groups => GroupIndex.Values;
    public IReadOnlyCollection<Conversation> Conversations => ConversationIndex.Values;
    public IReadOnlyCollection<Invitation> Invitations => InvitationIndex.Values;

    public Member? FindMember(string? id) => id is null ? null : MemberIndex.GetValueOrDefault(id);

    /// <summary>The member whose id is <paramref name="id"/> but for case (<c>Maya.Chen</c> finds <c>maya.chen</c>), if there is one.</summary>
    public Member? FindMemberIgnoringCase(string? id) =>
        id is not null && MemberIdsIgnoringCase.TryGetValue(id, out var exact) ? MemberIndex.GetValueOrDefault(exact) : null;

    public Team? FindTeam(string? id) => id is null ? null : TeamIndex.GetValueOrDefault(id);

    public Group? FindGroup(string? id) => id is null ? null : GroupIndex.GetValueOrDefault(id);

    public Conversation? FindConversation(string a, string b) => ConversationIndex.GetValueOrDefault(new MemberPair(a, b));

    public IReadOnlyList<Conversation> ConversationsOf(string member) =>
        ConversationsByMember.TryGetValue(member, out var list) ? list : [];

    /// <summary>How many conversations are in the member's inbox (not archived).</summary>
    public int ActiveConversationCount(string member) => ActiveInboxes.TryGetValue(member, out var inbox) ? inbox.Count : 0;

    internal ActiveInbox InboxOf(string member)
    {
        if (!ActiveInboxes.TryGetValue(member, out var inbox))
        {
            inbox = new ActiveInbox();
            ActiveInboxes.Add(member, inbox);
        }
        return inbox;
    }

    public Message? FindMessage(string? id) => id is not null && MessageIndex.TryGetValue(id, out var hit) ? hit.Message : null;

    public Invitation? FindInvitation(string from, string to) => InvitationIndex.GetValueOrDefault((from, to));

    /// <summary>What the first request with this idempotency key did, if one was made.</summary>
    public IdempotencyRecord? FindIdempotencyRecord(string actor, string key) => IdempotencyIndex.GetValueOrDefault((actor, key));

    /// <summary>The member's invitations still waiting for an answer.</summary>
    public IEnumerable<Invitation> InvitationsFrom(string member) => InvitationIndex.Values.Where(i => i.From == member);

    public bool AreConnected(string a, string b) => MemberIndex.TryGetValue(a, out var m) && m.Connections.Contains(b);

    /// <summary>True when either member blocked the other.</summary>
    public bool IsBlockedEitherWay(Member a, Member b) => a.Blocked.Contains(b.Id) || b.Blocked.Contains(a.Id);

    /// <summary>True when the two members share at least one group.</summary>
    public static bool ShareGroup(Member a, Member b)
    {
        var (small, large) = a.Groups.Count <= b.Groups.Count ? (a.Groups, b.Groups) : (b.Groups, a.Groups);
        foreach (var g in small)
        {
            if (large.Contains(g))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>The wallets a member's credits may live in: their own, and their team's pool while they hold a seat.</summary>
    public Wallet? PoolOf(Member member) => member.TeamId is { } t && TeamIndex.TryGetValue(t, out var team) ? team.Pool : null;

    public Wallet WalletOf(WalletId id) => id.Owner switch
    {
        WalletOwner.Member => MemberIndex[id.Id].Wallet,
        WalletOwner.Team => TeamIndex[id.Id].Pool,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown wallet owner"),
    };

    /// <summary>Every wallet in the system: members' and teams'.</summary>
    public IEnumerable<Wallet> Wallets => MemberIndex.Values.Select(m => m.Wallet).Concat(TeamIndex.Values.Select(t => t.Pool));
}

/// <summary>What a request with an idempotency key did the first time: its payload's fingerprint and its result.</summary>
public sealed record IdempotencyRecord(string Fingerprint, object Result, DateTimeOffset At);
