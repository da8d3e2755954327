using System.Diagnostics;

namespace InMail.Benchmarks;

/// <summary>
/// Brings a benchmark process to the steady state a long-running server is in before anything is
/// measured. The tiered JIT first runs much of the engine (generic collections over the domain's
/// types, date arithmetic) as quick, unoptimised code and recompiles it on a background thread;
/// on a 2-core machine that thread can lag for seconds, and BenchmarkDotNet's warm-up iterations,
/// a few milliseconds each here, end before it catches up (a catch-up of 6 months measured 6 times
/// its steady cost that way). So each benchmark first repeats its own work for a few seconds, then
/// gives the JIT a second to finish.
/// </summary>
internal static class Warm
{
    private static readonly TimeSpan Busy = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public static void Up(Action round)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            round();
        }
        while (clock.Elapsed < Busy);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Thread.Sleep(Settle);
    }
}
