using InMail.Domain.Network;

namespace InMail.Domain.Tests.WorkingSet;

public sealed class PairIndexTests
{
    [Fact]
    public void A_member_s_entries_are_found_replaced_and_removed_without_touching_anyone_else_s()
    {
        var index = new PairIndex<int>();
        index.Add(("ana", "ben"), 1);
        index.Add(("ana", "cai"), 2);
        index.Add(("ben", "ana"), 3);
        index[("ana", "ben")] = 10; // replaced, not added
        index[("dee", "ana")] = 4;  // added
        Assert.Equal(4, index.Count);
        Assert.Throws<ArgumentException>(() => index.Add(("ana", "cai"), 5));
        Assert.Equal([("ben", 10), ("cai", 2)], index.From("ana").Select(e => (e.Key, e.Value)));
        Assert.Equal(3, index.GetValueOrDefault(("ben", "ana")));
        Assert.Equal(0, index.GetValueOrDefault(("cai", "ana")));

        index.RemoveFrom("ana");
        Assert.Equal(2, index.Count);
        Assert.Empty(index.From("ana"));
        Assert.False(index.Remove(("ana", "ben")));
        Assert.True(index.Remove(("ben", "ana")));
        Assert.Equal([4], index.Values);
        Assert.Equal([("dee", "ana")], index.Keys);
        index.Clear();
        Assert.Empty(index);
        Assert.Empty(index.Values);
    }
}
