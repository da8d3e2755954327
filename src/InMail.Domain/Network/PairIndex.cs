using System.Collections;

namespace InMail.Domain.Network;

/// <summary>
/// Values keyed by an ordered pair of member ids (from, to), grouped by <c>from</c>: what a member owns towards others
/// (invitations sent, withdrawals). A member's entries are reached without visiting anyone else's, so writing or
/// evicting one member costs what that member holds, not what the whole working set holds (it used to scan every
/// pending invitation in memory for each member written or evicted).
/// </summary>
internal sealed class PairIndex<T> : IReadOnlyCollection<KeyValuePair<(string From, string To), T>>
{
    private readonly Dictionary<string, Dictionary<string, T>> _byFrom = new(StringComparer.Ordinal);
    private int _count;

    /// <summary>How many pairs hold a value.</summary>
    public int Count => _count;

    /// <summary>The value of the pair, or default when it holds none.</summary>
    public T? GetValueOrDefault((string From, string To) key) => TryGetValue(key, out var value) ? value : default;

    /// <summary>True, with the value, when the pair holds one.</summary>
    public bool TryGetValue((string From, string To) key, out T value)
    {
        if (_byFrom.TryGetValue(key.From, out var row) && row.TryGetValue(key.To, out value!))
        {
            return true;
        }
        value = default!;
        return false;
    }

    /// <summary>Sets the pair's value, adding the pair if it held none.</summary>
    public T this[(string From, string To) key]
    {
        set
        {
            var row = Row(key.From);
            if (row.TryAdd(key.To, value))
            {
                _count++;
            }
            else
            {
                row[key.To] = value;
            }
        }
    }

    /// <summary>Adds the pair's value; throws when the pair holds one already.</summary>
    public void Add((string From, string To) key, T value)
    {
        if (!Row(key.From).TryAdd(key.To, value))
        {
            throw new ArgumentException($"{key.From} → {key.To} holds a value already", nameof(key));
        }
        _count++;
    }

    /// <summary>Removes the pair's value; false when it held none.</summary>
    public bool Remove((string From, string To) key)
    {
        if (!_byFrom.TryGetValue(key.From, out var row) || !row.Remove(key.To))
        {
            return false;
        }
        _count--;
        if (row.Count == 0)
        {
            _byFrom.Remove(key.From);
        }
        return true;
    }

    /// <summary>Removes every value of pairs from <paramref name="from"/>.</summary>
    public void RemoveFrom(string from)
    {
        if (_byFrom.Remove(from, out var row))
        {
            _count -= row.Count;
        }
    }

    /// <summary>The values of pairs from <paramref name="from"/>, by the other member's id, in the order they were added.</summary>
    public IEnumerable<KeyValuePair<string, T>> From(string from) =>
        _byFrom.TryGetValue(from, out var row) ? row : [];

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        _byFrom.Clear();
        _count = 0;
    }

    /// <summary>Every pair that holds a value.</summary>
    public IEnumerable<(string From, string To)> Keys => this.Select(e => e.Key);

    /// <summary>Every value.</summary>
    public IReadOnlyCollection<T> Values => new ValueView(this);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<(string From, string To), T>> GetEnumerator()
    {
        foreach (var (from, row) in _byFrom)
        {
            foreach (var (to, value) in row)
            {
                yield return new((from, to), value);
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private sealed class ValueView(PairIndex<T> index) : IReadOnlyCollection<T>
    {
        public int Count => index.Count;

        public IEnumerator<T> GetEnumerator()
        {
            foreach (var row in index._byFrom.Values)
            {
                foreach (var value in row.Values)
                {
                    yield return value;
                }
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private Dictionary<string, T> Row(string from)
    {
        if (!_byFrom.TryGetValue(from, out var row))
        {
            row = new Dictionary<string, T>(StringComparer.Ordinal);
            _byFrom.Add(from, row);
        }
        return row;
    }
}
