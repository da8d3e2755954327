using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace InMail.Benchmarks;

/// <summary>
/// One job for every benchmark: one launch, 20 warm-up and 30 measured iterations of about 100 ms
/// (or of the fixed invocation count where a fresh system is built per iteration), with the median
/// and allocations shown. Each benchmark also warms itself up for a few seconds first (see
/// <see cref="Warm"/>): with BenchmarkDotNet's "short" job alone (3 warm-ups) a fresh process is
/// still growing its GC heap and tiering the JIT, and the send measured 3 to 5 times its steady
/// cost. The whole suite runs in about two minutes on a 2-core machine.
/// </summary>
public sealed class BenchConfig : ManualConfig
{
    public BenchConfig()
    {
        AddJob(Job.Default
            .WithLaunchCount(1)
            .WithWarmupCount(20)
            .WithIterationCount(30)
            .WithIterationTime(TimeInterval.FromMilliseconds(100))
            .WithId("bench"));
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        AddDiagnoser(MemoryDiagnoser.Default);
    }
}
