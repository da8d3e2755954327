using System.Numerics;

namespace InMail.LoadGen;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (HdrHistogram's layout with 64 sub-buckets per
/// power of two): every value is kept within 1/64 (1.6%) of itself, in a fixed array of about 2,400
/// counters, however many requests are recorded. One per client, merged at the end: no locks.
/// </summary>
public sealed class Histogram
{
    private const int Linear = 128;      // 0..127 µs are counted exactly
    private const int SubBuckets = 64;   // then 64 buckets per doubling
    private const int Doublings = 40;    // up to 2^46 µs, far beyond any request

    private readonly long[] _counts = new long[Linear + (Doublings * SubBuckets)];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public double Sum { get; private set; }

    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }
        _counts[Index(micros)]++;
        Count++;
        Sum += micros;
        if (micros > Max)
        {
            Max = micros;
        }
        if (micros < Min)
        {
            Min = micros;
        }
    }

    public void Add(Histogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }
        Count += other.Count;
        Sum += other.Sum;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>The value at or below which <paramref name="percentile"/> % of the recorded values lie (the bucket's highest value, as HdrHistogram reports it).</summary>
    public long Percentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }
        var rank = (long)Math.Ceiling(percentile / 100.0 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestOf(i), Max);
            }
        }
        return Max;
    }

    public double Mean => Count == 0 ? 0 : Sum / Count;

    internal static int Index(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }
        var msb = 63 - BitOperations.LeadingZeroCount((ulong)v); // >= 7
        var shift = msb - 6;                                      // v >> shift is in [64, 128)
        var index = Linear + ((shift - 1) * SubBuckets) + (int)((v >> shift) - SubBuckets);
        return Math.Min(index, Linear + (Doublings * SubBuckets) - 1);
    }

    internal static long LowestOf(int index)
    {
        if (index < Linear)
        {
            return index;
        }
        var shift = ((index - Linear) / SubBuckets) + 1;
        var sub = ((index - Linear) % SubBuckets) + SubBuckets;
        return (long)sub << shift;
    }

    internal static long HighestOf(int index)
    {
        if (index < Linear)
        {
            return index;
        }
        var shift = ((index - Linear) / SubBuckets) + 1;
        return LowestOf(index) + (1L << shift) - 1;
    }
}
