namespace InMail.Domain.Network;

/// <summary>A pending connection request from one member to another, with its optional note.</summary>
/// <param name="From">The member who sent the request.</param>
/// <param name="To">The member it was sent to.</param>
/// <param name="Note">The note on it, if any.</param>
/// <param name="SentAt">When it was sent.</param>
public sealed record Invitation(string From, string To, string? Note, DateTimeOffset SentAt);

/// <summary>A group members join to message each other for free (within the monthly limit).</summary>
public sealed class Group(string id, string name)
{
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);

    /// <summary>The group's id, as scripts and the API name it.</summary>
    public string Id { get; } = id;

    /// <summary>The name shown to people.</summary>
    public string Name { get; } = name;

    /// <summary>The ids of the members in the group now.</summary>
    public IReadOnlySet<string> Members => _members;

    internal bool Add(string member) => _members.Add(member);

    internal bool Remove(string member) => _members.Remove(member);
}

/// <summary>An unordered pair of member ids, the key of a connection or a conversation.</summary>
public readonly record struct MemberPair
{
    /// <summary>The pair of <paramref name="a"/> and <paramref name="b"/>, in either order: (a, b) and (b, a) are the same pair.</summary>
    public MemberPair(string a, string b)
    {
        (A, B) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    /// <summary>The id that sorts first (ordinal).</summary>
    public string A { get; }

    /// <summary>The id that sorts second (ordinal).</summary>
    public string B { get; }

    /// <summary>The member of the pair who is not <paramref name="member"/>.</summary>
    public string Other(string member) => member == A ? B : A;

    /// <summary>The written form, <c>a~b</c>, the ids in sorting order.</summary>
    public override string ToString() => $"{A}~{B}";
}
