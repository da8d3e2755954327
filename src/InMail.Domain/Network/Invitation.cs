namespace InMail.Domain.Network;

/// <summary>A pending connection request from one member to another, with its optional note.</summary>
public sealed record Invitation(string From, string To, string? Note, DateTimeOffset SentAt);

/// <summary>A group members join to message each other for free (within the monthly limit).</summary>
public sealed class Group(string id, string name)
{
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);

    public string Id { get; } = id;
    public string Name { get; } = name;
    public IReadOnlySet<string> Members => _members;

    internal bool Add(string member) => _members.Add(member);

    internal bool Remove(string member) => _members.Remove(member);
}

/// <summary>An unordered pair of member ids, the key of a connection or a conversation.</summary>
public readonly record struct MemberPair
{
    public MemberPair(string a, string b)
    {
        (A, B) = string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    public string A { get; }
    public string B { get; }

    public string Other(string member) => member == A ? B : A;

    public override string ToString() => $"{A}~{B}";
}
