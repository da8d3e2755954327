using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.WorkingSet;

namespace InMail.Domain;

/// <summary>
/// Everything the engine knows, held in memory. Only <see cref="InMailEngine"/> changes it; readers
/// get read-only views. One instance is one system: the replay command makes a fresh one per script.
/// </summary>
/// <remarks>
/// <para>
/// The state is a <em>working set</em> when a <see cref="IStateSource"/> is attached (decision 007):
/// members, teams, groups and conversations are then loaded from the source the first time they are
/// asked for, and may be evicted again once what changed them is durable. Every lookup below goes
/// through the source on a miss, so the engine never needs to know whether an aggregate was in memory.
/// </para>
/// <para>
/// Aggregates refer to each other by key (member id, team id, group id, member pair), never by
/// object, except a conversation and its own messages; so any one of them can leave memory alone.
/// Enumerations (<see cref="Members"/>, <see cref="Conversations"/>…) list what is in memory: the
/// whole system without a source, the working set with one.
/// </para>
/// </remarks>
public sealed class InMailState
{
    private WorkingSetLoader? _loader;

    internal IdSequences Ids
    {
        get
        {
            _loader?.EnsureGlobals(this);
            return IdsStore;
        }
    }

    internal IdSequences IdsStore { get; } = new();
    internal Dictionary<string, Member> MemberIndex { get; } = new(StringComparer.Ordinal);

    /// <summary>Every member id under its case-insensitive form: no two members' ids differ only by case.</summary>
    internal Dictionary<string, string> MemberIdsIgnoringCase { get; } = new(StringComparer.OrdinalIgnoreCase);
    internal Dictionary<string, Team> TeamIndex { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, Group> GroupIndex { get; } = new(StringComparer.Ordinal);
    internal Dictionary<MemberPair, Conversation> ConversationIndex { get; } = [];
    internal Dictionary<string, List<MemberPair>> ConversationsByMember { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Members loaded from a document that lists only their latest conversations (<see cref="ConversationsInMemberDocument"/>):
    /// their <see cref="ConversationsByMember"/> list is not every conversation they are in, and the rest are read from the
    /// source when all are asked for.
    /// </summary>
    internal HashSet<string> PartlyListed { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How many of a member's conversations, the latest started, their document lists (issue 9: a document grows with
    /// activity, not history). A member with more is loaded with those only; the others stay in the source, asked for
    /// when every conversation of the member is needed (reports, outreach facts). A setting for tests, which lower it to
    /// make every member's list partial.
    /// </summary>
    public int ConversationsInMemberDocument { get; set; } = 200;
    internal Dictionary<string, ActiveInbox> ActiveInboxes { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, (Conversation Conversation, Message Message)> MessageIndex { get; } = new(StringComparer.Ordinal);
    internal PairIndex<Invitation> InvitationIndex { get; } = new();
    internal PairIndex<DateTimeOffset> Withdrawals { get; } = new();
    internal Dictionary<(string Actor, string Key), IdempotencyRecord> IdempotencyIndex { get; } = [];

    /// <summary>Called after an aggregate was loaded from the source (storage primes its caches with it).</summary>
    public Action<AggregateKey>? Loaded { get; set; }

    /// <summary>The source aggregates are loaded from on a miss, when this state is a working set.</summary>
    public IStateSource? Source => _loader?.Source;

    /// <summary>Members in memory (every member, when no source is attached).</summary>
    public IReadOnlyCollection<Member> Members => MemberIndex.Values;

    /// <summary>Teams in memory.</summary>
    public IReadOnlyCollection<Team> Teams => TeamIndex.Values;

    /// <summary>Groups in memory.</summary>
    public IReadOnlyCollection<Group> Groups => GroupIndex.Values;

    /// <summary>Conversations in memory.</summary>
    public IReadOnlyCollection<Conversation> Conversations => ConversationIndex.Values;

    /// <summary>Pending invitations of the members in memory.</summary>
    public IReadOnlyCollection<Invitation> Invitations => InvitationIndex.Values;

    /// <summary>
    /// Makes this state a working set over <paramref name="source"/>: what is not in memory is read
    /// from there on demand, decoded against <paramref name="catalog"/>. Attach before first use.
    /// </summary>
    public void Attach(IStateSource source, Catalog.PlanCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(catalog);
        _loader = new WorkingSetLoader(source, catalog);
    }

    /// <summary>The member with exactly this id (loaded from the source when this is a working set); null for none.</summary>
    public Member? FindMember(string? id)
    {
        if (id is null)
        {
            return null;
        }
        if (MemberIndex.TryGetValue(id, out var member))
        {
            return member;
        }
        return _loader?.LoadMember(this, id);
    }

    /// <summary>The member whose id is <paramref name="id"/> but for case (<c>Maya.Chen</c> finds <c>maya.chen</c>), if there is one.</summary>
    public Member? FindMemberIgnoringCase(string? id)
    {
        if (id is null)
        {
            return null;
        }
        if (FindMember(id) is { } exact)
        {
            return exact;
        }
        if (MemberIdsIgnoringCase.TryGetValue(id, out var known))
        {
            return FindMember(known);
        }
        return Identifiers.IsValid(id) && _loader?.Source.MemberIdIgnoringCase(id) is { } stored ? FindMember(stored) : null;
    }

    /// <summary>The team with this id, active or ended (loaded as needed); null for none.</summary>
    public Team? FindTeam(string? id)
    {
        if (id is null)
        {
            return null;
        }
        if (TeamIndex.TryGetValue(id, out var team))
        {
            return team;
        }
        return _loader?.LoadTeam(this, id);
    }

    /// <summary>The group with this id (loaded as needed); null for none.</summary>
    public Group? FindGroup(string? id)
    {
        if (id is null)
        {
            return null;
        }
        if (GroupIndex.TryGetValue(id, out var group))
        {
            return group;
        }
        return _loader?.LoadGroup(this, id);
    }

    /// <summary>
    /// The conversation between members <paramref name="a"/> and <paramref name="b"/>, in either order; null when they
    /// have none.
    /// </summary>
    public Conversation? FindConversation(string a, string b) => FindConversation(new MemberPair(a, b));

    /// <summary>The conversation of <paramref name="pair"/> (loaded as needed); null when the two have none.</summary>
    public Conversation? FindConversation(MemberPair pair)
    {
        if (ConversationIndex.TryGetValue(pair, out var conversation))
        {
            return conversation;
        }
        return _loader is null || ConversationKnownAbsent(pair) ? null : _loader.LoadConversation(this, pair);
    }

    /// <summary>
    /// True when the conversation of <paramref name="pair"/>, which memory does not hold, certainly does not exist: one of
    /// its members is in memory with the list of every conversation it is in, and the list does not name it. Most sends
    /// start a conversation; this spares each of them a read that could only find nothing. A member whose document lists
    /// only its latest conversations proves nothing. Another process that started it meanwhile also changed the member,
    /// whose claim then fails (decision 017).
    /// </summary>
    private bool ConversationKnownAbsent(MemberPair pair)
    {
        // Look in the shorter list: a recipient's is usually far shorter than a busy sender's.
        List<MemberPair>? shortest = null;
        foreach (var id in (ReadOnlySpan<string>)[pair.A, pair.B])
        {
            if (MemberIndex.ContainsKey(id) && !PartlyListed.Contains(id))
            {
                var pairs = ConversationsByMember.GetValueOrDefault(id) ?? [];
                if (shortest is null || pairs.Count < shortest.Count)
                {
                    shortest = pairs;
                }
            }
        }
        return shortest is not null && !shortest.Contains(pair);
    }

    /// <summary>
    /// Every conversation of <paramref name="member"/> (loaded as needed): oldest first when memory lists them all;
    /// otherwise those the source stores, then those memory started and has not stored yet.
    /// </summary>
    public IReadOnlyList<Conversation> ConversationsOf(string member)
    {
        if (FindMember(member) is null)
        {
            return [];
        }
        var pairs = EveryConversationPairOf(member);
        var list = new List<Conversation>(pairs.Count);
        foreach (var pair in pairs)
        {
            list.Add(FindConversation(pair) ?? throw new InvalidOperationException($"conversation {pair} of {member} is missing"));
        }
        return list;
    }

    /// <summary>The pairs of the conversations memory lists for a loaded <paramref name="member"/>: every one, unless <see cref="IsPartlyListed"/>.</summary>
    internal IReadOnlyList<MemberPair> ListedConversationPairs(string member) => ConversationsByMember.GetValueOrDefault(member) ?? [];

    /// <summary>Whether memory lists only some of a loaded <paramref name="member"/>'s conversations (see <see cref="ConversationsInMemberDocument"/>).</summary>
    internal bool IsPartlyListed(string member) => PartlyListed.Contains(member);

    /// <summary>The pair of every conversation of a loaded <paramref name="member"/>, each once; from the source too when memory lists only some.</summary>
    internal IReadOnlyList<MemberPair> EveryConversationPairOf(string member)
    {
        var listed = ListedConversationPairs(member);
        if (!IsPartlyListed(member))
        {
            return listed;
        }
        // Those the source stores, then those memory started and has not stored yet.
        return [.. _loader!.Source.ConversationPartnersOf(member).Select(other => new MemberPair(member, other)).Concat(listed).Distinct()];
    }

    /// <summary>How many conversations are in the member's inbox (not archived).</summary>
    public int ActiveConversationCount(string member) =>
        FindMember(member) is not null && ActiveInboxes.TryGetValue(member, out var inbox) ? inbox.Count : 0;

    internal ActiveInbox InboxOf(string member)
    {
        _ = FindMember(member);
        if (!ActiveInboxes.TryGetValue(member, out var inbox))
        {
            inbox = new ActiveInbox();
            ActiveInboxes.Add(member, inbox);
        }
        return inbox;
    }

    internal List<MemberPair> ConversationPairsOf(string member)
    {
        _ = FindMember(member);
        if (!ConversationsByMember.TryGetValue(member, out var list))
        {
            list = [];
            ConversationsByMember.Add(member, list);
        }
        return list;
    }

    /// <summary>
    /// The message with this id, loading its conversation when needed; null for none. Whether the caller may see it is
    /// the engine's check.
    /// </summary>
    public Message? FindMessage(string? id) => FindMessageEntry(id) is { } hit ? hit.Message : null;

    internal (Conversation Conversation, Message Message)? FindMessageEntry(string? id)
    {
        if (id is null)
        {
            return null;
        }
        if (MessageIndex.TryGetValue(id, out var hit))
        {
            return hit;
        }
        if (_loader?.ConversationOfMessage(id) is { } pair && FindConversation(pair) is not null && MessageIndex.TryGetValue(id, out hit))
        {
            return hit;
        }
        return null;
    }

    /// <summary>True when a message with this id exists, in memory or in the source.</summary>
    public bool MessageExists(string id) => MessageIndex.ContainsKey(id) || _loader?.ConversationOfMessage(id) is not null;

    /// <summary>
    /// The pending connection request from <paramref name="from"/> to <paramref name="to"/> (that direction only); null
    /// for none.
    /// </summary>
    public Invitation? FindInvitation(string from, string to)
    {
        _ = FindMember(from);
        return InvitationIndex.GetValueOrDefault((from, to));
    }

    /// <summary>When <paramref name="from"/> last withdrew an invitation to <paramref name="to"/>, if ever.</summary>
    internal DateTimeOffset? FindWithdrawal(string from, string to)
    {
        _ = FindMember(from);
        return Withdrawals.TryGetValue((from, to), out var at) ? at : null;
    }

    /// <summary>What the first request with this idempotency key did, if one was made.</summary>
    public IdempotencyRecord? FindIdempotencyRecord(string actor, string key)
    {
        if (IdempotencyIndex.TryGetValue((actor, key), out var record))
        {
            return record;
        }
        if (_loader?.Source.FindIdempotencyRecord(actor, key) is { } stored)
        {
            IdempotencyIndex[(actor, key)] = stored;
            return stored;
        }
        return null;
    }

    /// <summary>The member's invitations still waiting for an answer.</summary>
    public IEnumerable<Invitation> InvitationsFrom(string member)
    {
        _ = FindMember(member);
        return InvitationIndex.From(member).Select(i => i.Value).ToList();
    }

    /// <summary>True when the two members are 1st-degree connections.</summary>
    public bool AreConnected(string a, string b) => FindMember(a) is { } m && m.Connections.Contains(b);

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
    public Wallet? PoolOf(Member member) => member.TeamId is { } t && FindTeam(t) is { } team ? team.Pool : null;

    /// <summary>The wallet <paramref name="id"/> names: a member's own or a team's pool; throws when its owner does not exist.</summary>
    public Wallet WalletOf(WalletId id) => id.Owner switch
    {
        WalletOwner.Member => (FindMember(id.Id) ?? throw new KeyNotFoundException($"no member {id.Id}")).Wallet,
        WalletOwner.Team => (FindTeam(id.Id) ?? throw new KeyNotFoundException($"no team {id.Id}")).Pool,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "unknown wallet owner"),
    };

    /// <summary>Every wallet in memory: members' and teams'.</summary>
    public IEnumerable<Wallet> Wallets => MemberIndex.Values.Select(m => m.Wallet).Concat(TeamIndex.Values.Select(t => t.Pool));

    // ---------------------------------------------------------------- the working set

    internal Member LoadedMember(string id) => FindMember(id) ?? throw new KeyNotFoundException($"no member {id}");

    internal Team LoadedTeam(string id) => FindTeam(id) ?? throw new KeyNotFoundException($"no team {id}");

    /// <summary>The number of the last message the system named (<c>msg-N</c>) from its own counter, loaded from the source when needed.</summary>
    public long LastMessageNumber => Ids.LastMessage;

    /// <summary>
    /// Where new messages take their numbers (<c>msg-N</c>) when several processes name messages at once (decision 017):
    /// each number it gives must be unique across them, so the counter is neither read nor written and no number is probed.
    /// Null (the default): the counter, with the next free number after it.
    /// </summary>
    public Func<long>? MessageNumbers { get; set; }

    /// <summary>Brings the aggregate named by <paramref name="key"/> into memory (from the source on a miss); false when there is none.</summary>
    public bool Load(AggregateKey key) => key.Kind switch
    {
        AggregateKind.Member => FindMember(key.Id) is not null,
        AggregateKind.Team => FindTeam(key.Id) is not null,
        AggregateKind.Group => FindGroup(key.Id) is not null,
        AggregateKind.Conversation => FindConversation(key.Pair) is not null,
        AggregateKind.Globals => Ids is not null,
        AggregateKind.Notifications => FindMember(key.Id) is { } member && member.Notifications is not null, // the first look reads their document
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "unknown aggregate kind"),
    };

    // Conversations the inbox cap archived, for a working set's store to write (only kept with a source attached).
    private readonly List<MemberPair> _archivedByCap = [];

    internal void NoteArchivedByCap(MemberPair pair)
    {
        if (_loader is not null)
        {
            _archivedByCap.Add(pair);
        }
    }

    /// <summary>
    /// Moves into <paramref name="into"/> the conversations the inbox cap archived since the last call: a command that
    /// brings one conversation into a full inbox changes another, which a store must write too. Recorded only in a
    /// working set (a state with a source attached).
    /// </summary>
    public void TakeArchivedByCap(ICollection<MemberPair> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        foreach (var pair in _archivedByCap)
        {
            into.Add(pair);
        }
        _archivedByCap.Clear();
    }

    /// <summary>
    /// True when reading <paramref name="key"/> from the source would tell memory nothing: it holds the aggregate, or (a
    /// conversation) knows it does not exist. What a batch's prefetch leaves out.
    /// </summary>
    public bool Knows(AggregateKey key) =>
        Holds(key) || (key.Kind == AggregateKind.Conversation && ConversationKnownAbsent(key.Pair));

    /// <summary>Whether the aggregate named by <paramref name="key"/> is in memory now (nothing is loaded to answer).</summary>
    public bool Holds(AggregateKey key) => key.Kind switch
    {
        AggregateKind.Member => MemberIndex.ContainsKey(key.Id),
        AggregateKind.Team => TeamIndex.ContainsKey(key.Id),
        AggregateKind.Group => GroupIndex.ContainsKey(key.Id),
        AggregateKind.Conversation => ConversationIndex.ContainsKey(key.Pair),
        _ => false,
    };

    /// <summary>How many aggregates (members, teams, groups, conversations) are in memory.</summary>
    public int LoadedCount => MemberIndex.Count + TeamIndex.Count + GroupIndex.Count + ConversationIndex.Count;

    /// <summary>
    /// Forgets everything in memory; what is asked for next is loaded from the source again. Only for
    /// a working set whose changes the source already holds (after a commit), never with no source.
    /// </summary>
    public void EvictAll()
    {
        RequireSource();
        MemberIndex.Clear();
        TeamIndex.Clear();
        GroupIndex.Clear();
        ConversationIndex.Clear();
        ConversationsByMember.Clear();
        PartlyListed.Clear();
        ActiveInboxes.Clear();
        MessageIndex.Clear();
        InvitationIndex.Clear();
        Withdrawals.Clear();
        IdempotencyIndex.Clear();
        MemberIdsIgnoringCase.Clear();
        IdsStore.LastMessage = 0; // forgotten like the rest: it loads again from the source, as in a new process
        _loader!.ForgetGlobals();
    }

    /// <summary>Forgets one aggregate (and, for a member, what the member owns: inbox, invitations sent, withdrawals).</summary>
    public void Evict(AggregateKey key)
    {
        RequireSource();
        switch (key.Kind)
        {
            case AggregateKind.Member:
            case AggregateKind.Notifications: // part of the member in memory
                MemberIndex.Remove(key.Id);
                ConversationsByMember.Remove(key.Id);
                PartlyListed.Remove(key.Id);
                ActiveInboxes.Remove(key.Id);
                InvitationIndex.RemoveFrom(key.Id);
                Withdrawals.RemoveFrom(key.Id);
                break;
            case AggregateKind.Team:
                TeamIndex.Remove(key.Id);
                break;
            case AggregateKind.Group:
                GroupIndex.Remove(key.Id);
                break;
            case AggregateKind.Conversation:
                if (ConversationIndex.Remove(key.Pair, out var conversation))
                {
                    foreach (var m in conversation.Messages)
                    {
                        MessageIndex.Remove(m.Id);
                    }
                }
                break;
            case AggregateKind.Globals:
                IdsStore.LastMessage = 0;
                _loader!.ForgetGlobals();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(key), key, "unknown aggregate kind");
        }
    }

    /// <summary>
    /// What changed in these aggregates is now durable in the source: their wallets forget the entries
    /// and ended lots they held, and read them from the source from now on (decision 007).
    /// </summary>
    public void MarkStored(IEnumerable<AggregateKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        RequireSource();
        foreach (var key in keys)
        {
            if (key.Kind == AggregateKind.Notifications && MemberIndex.TryGetValue(key.Id, out var member))
            {
                member.NotificationsChanged = false;
            }
            var wallet = key.Kind switch
            {
                AggregateKind.Member => MemberIndex.GetValueOrDefault(key.Id)?.Wallet,
                AggregateKind.Team => TeamIndex.GetValueOrDefault(key.Id)?.Pool,
                _ => null,
            };
            wallet?.MarkStored(_loader!.Source);
        }
    }

    /// <summary>Forgets the idempotency records in memory (the source keeps them).</summary>
    public void EvictIdempotencyRecords()
    {
        RequireSource();
        IdempotencyIndex.Clear();
    }

    private void RequireSource()
    {
        if (_loader is null)
        {
            throw new InvalidOperationException("only a working set (a state with a source) can evict: without one, nothing could bring the state back");
        }
    }
}

/// <summary>What a request with an idempotency key did the first time: its payload's fingerprint and its result.</summary>
/// <param name="Fingerprint">
/// The first request's payload, as its type's name and its JSON: the same key with another payload is
/// <c>idempotency-conflict</c>.
/// </param>
/// <param name="Result">The first request's result, returned again to a retry.</param>
/// <param name="At">When the first request was carried out.</param>
public sealed record IdempotencyRecord(string Fingerprint, object Result, DateTimeOffset At);
