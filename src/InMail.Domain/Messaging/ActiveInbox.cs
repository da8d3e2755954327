using InMail.Domain.Network;

namespace InMail.Domain.Messaging;

/// <summary>
/// A member's conversations that are not archived, ordered by last activity (oldest first), so the
/// inbox cap can archive the least recently active one without scanning the member's history.
/// Entries are keys (activity, pair), not conversations, so a conversation can leave memory while
/// the member stays: callers remove an entry before its conversation's activity changes.
/// </summary>
internal sealed class ActiveInbox
{
    private static readonly Comparer<(DateTimeOffset Activity, MemberPair Pair)> ByActivity = Comparer<(DateTimeOffset Activity, MemberPair Pair)>.Create((x, y) =>
    {
        var byTime = x.Activity.CompareTo(y.Activity);
        if (byTime != 0)
        {
            return byTime;
        }
        var byA = string.CompareOrdinal(x.Pair.A, y.Pair.A);
        return byA != 0 ? byA : string.CompareOrdinal(x.Pair.B, y.Pair.B);
    });

    private readonly SortedSet<(DateTimeOffset Activity, MemberPair Pair)> _conversations = new(ByActivity);

    public int Count => _conversations.Count;

    /// <summary>The entries, oldest activity first (for the working set's documents).</summary>
    public IEnumerable<(DateTimeOffset Activity, MemberPair Pair)> Entries => _conversations;

    /// <summary>Adds a conversation under its activity as <paramref name="member"/> sees it (a snooze or reminder can bring it back on top).</summary>
    public void Add(Conversation conversation, string member) => _conversations.Add((conversation.ActivityFor(member), conversation.Pair));

    public void Add(DateTimeOffset activity, MemberPair pair) => _conversations.Add((activity, pair));

    public void Remove(Conversation conversation, string member) => _conversations.Remove((conversation.ActivityFor(member), conversation.Pair));

    /// <summary>The least recently active conversation other than <paramref name="except"/>, if any.</summary>
    public MemberPair? OldestExcept(MemberPair except)
    {
        foreach (var (_, pair) in _conversations)
        {
            if (pair != except)
            {
                return pair;
            }
        }
        return null;
    }
}
