namespace InMail.Domain.Messaging;

/// <summary>
/// One member's active (not archived) conversations, least recently active first, so the inbox cap
/// finds the one to archive in O(log n) however long the member's history is. A conversation's
/// activity is its sort key: take it out before its activity changes and put it back after.
/// </summary>
internal sealed class ActiveInbox
{
    private static readonly Comparer<Conversation> ByActivity = Comparer<Conversation>.Create((x, y) =>
    {
        var byTime = x.LastActivityAt.CompareTo(y.LastActivityAt);
        if (byTime != 0)
        {
            return byTime;
        }
        var byA = string.CompareOrdinal(x.Pair.A, y.Pair.A);
        return byA != 0 ? byA : string.CompareOrdinal(x.Pair.B, y.Pair.B);
    });

    private readonly SortedSet<Conversation> _conversations = new(ByActivity);

    public int Count => _conversations.Count;

    public void Add(Conversation conversation) => _conversations.Add(conversation);

    public void Remove(Conversation conversation) => _conversations.Remove(conversation);

    /// <summary>The least recently active conversation other than <paramref name="except"/>.</summary>
    public Conversation? OldestExcept(Conversation except)
    {
        foreach (var c in _conversations)
        {
            if (c != except)
            {
                return c;
            }
        }
        return null;
    }
}
