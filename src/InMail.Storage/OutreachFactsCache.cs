using InMail.Domain.Messaging;
using InMail.Domain.WorkingSet;

namespace InMail.Storage;

/// <summary>
/// The facts of the InMails members sent, kept between views of the Results page (decision 016), so a member with a
/// hundred thousand InMails does not have them all read again on every view. A member's facts are kept per
/// recipient; what the store commits, or takes in from another process's log, marks exactly what went stale:
/// a conversation marks its pair, a member (whose time zone may have changed) marks every sender who wrote to them.
/// The next read re-reads only those pairs. Bounded by a number of facts, least recently read first out.
/// </summary>
internal sealed class OutreachFactsCache(int capacity)
{
    /// <summary>Past this many stale pairs, one read of everything is cheaper than a read per pair.</summary>
    private const int PairsBeforeWhole = 1_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recent = new(); // most recently read first
    private long _facts;

    /// <summary>Marks what the aggregates <paramref name="keys"/> changed (after their commit, before anyone is answered).</summary>
    public void Touched(IEnumerable<AggregateKey> keys)
    {
        lock (_lock)
        {
            if (_entries.Count == 0)
            {
                return;
            }
            foreach (var key in keys)
            {
                switch (key.Kind)
                {
                    case AggregateKind.Conversation:
                        var pair = key.Pair;
                        StalePair(pair.A, pair.B);
                        StalePair(pair.B, pair.A);
                        break;
                    case AggregateKind.Member:
                        foreach (var entry in _entries.Values)
                        {
                            if (entry.Filling || (entry.ByRecipient?.ContainsKey(key.Id) ?? false))
                            {
                                entry.StaleRecipients.Add(key.Id);
                            }
                        }
                        break;
                    default:
                        break; // teams, groups and the counters hold no InMail facts
                }
            }
        }
    }

    /// <summary>Forgets everything (the store rebuilt its state: what it read may no longer be what the tables hold).</summary>
    public void Clear()
    {
        lock (_lock)
        {
            foreach (var entry in _entries.Values)
            {
                entry.Whole = true;
            }
        }
    }

    /// <summary>
    /// <paramref name="sender"/>'s facts, oldest first, read with <paramref name="read"/> (given the recipients whose
    /// pairs to read, or null for all) only where what is kept went stale. Members with more facts than the cache holds
    /// are read whole each time and not kept.
    /// </summary>
    public async Task<InMailFact[]> GetAsync(string sender,
        Func<IReadOnlyCollection<string>?, CancellationToken, Task<List<(string To, InMailFact Fact)>>> read, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_lock)
        {
            if (!_entries.TryGetValue(sender, out entry!))
            {
                entry = new Entry(sender);
                entry.Node = _recent.AddFirst(entry);
                _entries.Add(sender, entry);
            }
            else
            {
                _recent.Remove(entry.Node!);
                _recent.AddFirst(entry.Node!);
            }
        }
        await entry.Reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            HashSet<string>? pairs = null;
            lock (_lock)
            {
                if (entry.ByRecipient is not null && !entry.Whole)
                {
                    pairs = entry.StalePairs;
                    pairs.UnionWith(entry.StaleRecipients.Where(entry.ByRecipient.ContainsKey));
                    entry.StalePairs = new HashSet<string>(StringComparer.Ordinal);
                    entry.StaleRecipients.Clear();
                    if (pairs.Count > PairsBeforeWhole)
                    {
                        pairs = null;
                    }
                }
                if (pairs is null)
                {
                    entry.Filling = true; // touches from now on are kept, to be read again next time
                    entry.Whole = false;
                    entry.StalePairs.Clear();
                    entry.StaleRecipients.Clear();
                }
            }
            if (pairs is not { Count: 0 })
            {
                var rows = await read(pairs, cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    var byRecipient = pairs is null ? new Dictionary<string, List<InMailFact>>(StringComparer.Ordinal) : entry.ByRecipient!;
                    foreach (var to in pairs ?? [])
                    {
                        byRecipient.Remove(to);
                    }
                    foreach (var (to, fact) in rows)
                    {
                        if (!byRecipient.TryGetValue(to, out var list))
                        {
                            byRecipient.Add(to, list = []);
                        }
                        list.Add(fact);
                    }
                    if (pairs is null)
                    {
                        // A member touched while everything was read may be a recipient: read their pair again next time.
                        entry.StalePairs.UnionWith(entry.StaleRecipients.Where(byRecipient.ContainsKey));
                        entry.StaleRecipients.Clear();
                        entry.Filling = false;
                    }
                    entry.ByRecipient = byRecipient;
                    entry.Sorted = null;
                }
            }
            lock (_lock)
            {
                var sorted = entry.Sorted ??= Flatten(entry.ByRecipient!);
                if (_entries.TryGetValue(sender, out var kept) && kept == entry) // not dropped meanwhile
                {
                    _facts += sorted.Length - entry.Counted;
                    entry.Counted = sorted.Length;
                    Evict(keep: entry);
                }
                return sorted;
            }
        }
        finally
        {
            entry.Reading.Release();
        }
    }

    private void StalePair(string sender, string recipient)
    {
        if (_entries.TryGetValue(sender, out var entry))
        {
            entry.StalePairs.Add(recipient);
        }
    }

    /// <summary>Drops the least recently read members until the facts fit; <paramref name="keep"/> goes too if it alone is too many.</summary>
    private void Evict(Entry keep)
    {
        var last = _recent.Last;
        while (_facts > capacity && last is not null)
        {
            var previous = last.Previous;
            var entry = last.Value;
            if (entry != keep || entry.Counted > capacity)
            {
                Drop(entry);
            }
            last = previous;
        }
    }

    private void Drop(Entry entry)
    {
        _entries.Remove(entry.Sender);
        _recent.Remove(entry.Node!);
        _facts -= entry.Counted;
        entry.Counted = 0;
    }

    private static InMailFact[] Flatten(Dictionary<string, List<InMailFact>> byRecipient)
    {
        var all = new InMailFact[byRecipient.Values.Sum(l => l.Count)];
        var at = 0;
        foreach (var list in byRecipient.Values)
        {
            list.CopyTo(all, at);
            at += list.Count;
        }
        var keys = new long[all.Length];
        for (var i = 0; i < all.Length; i++)
        {
            keys[i] = all[i].SentAt.UtcTicks;
        }
        Array.Sort(keys, all);
        return all;
    }

    private sealed class Entry(string sender)
    {
        public string Sender { get; } = sender;

        /// <summary>One read of this member's facts at a time.</summary>
        public SemaphoreSlim Reading { get; } = new(1, 1);

        public LinkedListNode<Entry>? Node { get; set; }

        /// <summary>The facts by recipient; null until first read.</summary>
        public Dictionary<string, List<InMailFact>>? ByRecipient { get; set; }

        /// <summary>Recipients whose pair with the sender changed.</summary>
        public HashSet<string> StalePairs { get; set; } = new(StringComparer.Ordinal);

        /// <summary>Members touched (a time zone may have changed): stale if they are recipients.</summary>
        public HashSet<string> StaleRecipients { get; } = new(StringComparer.Ordinal);

        /// <summary>Everything must be read again.</summary>
        public bool Whole { get; set; }

        /// <summary>Everything is being read: every member touched meanwhile is kept.</summary>
        public bool Filling { get; set; }

        /// <summary>Every fact, oldest first; null when a pair changed since.</summary>
        public InMailFact[]? Sorted { get; set; }

        /// <summary>How many facts of this entry <see cref="_facts"/> counts.</summary>
        public int Counted { get; set; }
    }
}
