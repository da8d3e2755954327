using System.Collections;
using System.Runtime.CompilerServices;

namespace InMail.Domain.Time;

/// <summary>
/// A list appended at the end and trimmed at the front, both in amortized constant time: trimmed
/// items are skipped by an offset, and the storage moves down only when full with at least half of it trimmed.
/// The activity logs and a member's notifications keep only their newest items this way; removing
/// from the front of a <see cref="List{T}"/> on every append moved the whole list each time, which
/// was a fifth of the plan advisor's replay (bench/README.md).
/// </summary>
internal sealed class FrontTrimmedList<T> : IReadOnlyList<T>
{
    // The items are _items[_start.._end); a new list holds the shared empty array, so an activity
    // log nobody writes to costs no storage.
    private T[] _items = [];
    private int _start;
    private int _end;

    public int Count => _end - _start;

    public T this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            return _items[_start + index];
        }
    }

    public void Add(T item)
    {
        if (_end == _items.Length)
        {
            // Full: move the items down when trimmed slots are at least half the storage, else grow
            // (doubling); either way each item is moved a constant number of times on average.
            var count = Count;
            var target = _start > 0 && _start >= count ? _items : new T[Math.Max(4, _items.Length * 2)];
            Array.Copy(_items, _start, target, 0, count);
            if (ReferenceEquals(target, _items))
            {
                Array.Clear(_items, count, _end - count);
            }
            _items = target;
            _start = 0;
            _end = count;
        }
        _items[_end++] = item;
    }

    /// <summary>Removes the <paramref name="count"/> oldest items.</summary>
    public void RemoveFirst(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Count);
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
        {
            Array.Clear(_items, _start, count); // a trimmed item is not kept alive by the storage
        }
        _start += count;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    public IEnumerator<T> GetEnumerator()
    {
        for (var i = _start; i < _end; i++)
        {
            yield return _items[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
