using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.WorkingSet;
using InMail.Storage;
using InMail.Storage.Projection;

namespace InMail.Cli.Generate;

/// <summary>What a generation wrote.</summary>
public sealed record GenerateSummary(int Members, long Messages, long Commands, long Rows, int Cohorts, TimeSpan Elapsed);

/// <summary>
/// Issue 9's history generator (decision 008): cohort after cohort, runs the cohort's commands on a
/// fresh engine, turns the resulting state into rows with the storage's own code (the projector, the
/// aggregate codec, the command log's JSON), and bulk-loads them, the load of one cohort running
/// beside the engine run of the next. Memory holds two cohorts at most, whatever the totals.
/// </summary>
public static class HistoryGenerator
{
    public static async Task<GenerateSummary> RunAsync(GenerateSettings settings, StoreOptions store, PlanCatalog catalog, TextWriter progress,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(progress);
        var clock = Stopwatch.StartNew();
        using var loader = BulkLoader.Open(store, DateTimeOffset.UtcNow);
        var batches = Channel.CreateBounded<List<Write>>(1);
        long rows = 0;
        var loading = new Stopwatch();
        var running = new Stopwatch();
        var rowing = new Stopwatch();
        var load = Task.Run(async () =>
        {
            await foreach (var writes in batches.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                loading.Start();
                loader.Load(writes);
                loading.Stop();
                Interlocked.Add(ref rows, writes.Count);
            }
        }, cancellationToken);

        long seq = 0;
        long messageBase = 0;
        long messages = 0;
        try
        {
            for (var k = 0; k < settings.CohortCount; k++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                running.Start();
                var cohort = new Cohort(settings, catalog, k, messageBase).Run();
                running.Stop();
                rowing.Start();
                var writes = Rows(cohort, ref seq, last: k == settings.CohortCount - 1);
                rowing.Stop();
                messageBase = cohort.LastMessageNumber;
                messages += cohort.Messages;
                await batches.Writer.WriteAsync(writes, cancellationToken).ConfigureAwait(false);
                var (first, count) = settings.CohortMembers(k);
                await progress.WriteLineAsync(FormattableString.Invariant(
                    $"cohort {k + 1}/{settings.CohortCount}: members {Cohort.MemberId(first)}–{Cohort.MemberId(first + count - 1)}, {cohort.Messages:N0} messages, {cohort.Log.Count:N0} commands; total {messages:N0} messages, {seq:N0} commands, {clock.Elapsed.TotalSeconds:F0} s ({messages / Math.Max(1, clock.Elapsed.TotalSeconds):N0} messages/s; engine {running.Elapsed.TotalSeconds:F0} s, rows {rowing.Elapsed.TotalSeconds:F0} s, load {loading.Elapsed.TotalSeconds:F0} s)"))
                    .ConfigureAwait(false);
            }
        }
        finally
        {
            batches.Writer.TryComplete();
        }
        await load.ConfigureAwait(false);
        await progress.WriteLineAsync("finishing: ANALYZE" + (loader.Dialect == "sqlite" ? ", checkpoint" : "")).ConfigureAwait(false);
        loader.Finish();
        return new GenerateSummary(settings.Members, messages, seq, rows, settings.CohortCount, clock.Elapsed);
    }

    /// <summary>
    /// The cohort's rows: its log (seq numbers following the previous cohort's), its projection, and
    /// the document of every aggregate it holds; the system's counters only with the last cohort,
    /// whose counter is the final one.
    /// </summary>
    public static List<Write> Rows(Cohort cohort, ref long seq, bool last)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        var writes = new List<Write>(cohort.Log.Count * 4);
        foreach (var c in cohort.Log)
        {
            writes.Add(new Write(Tables.CommandLog, WriteKind.Append, [++seq, c.At.ToUniversalTime(), c.Actor, null, CommandJson.Write(c.Command), null, null]));
        }
        var state = cohort.Engine.State;
        new Projector().Sync(state, Scopes.Everything(state), writes);
        foreach (var key in AggregateCodec.LoadedKeys(state))
        {
            if (key == AggregateKey.Globals && !last)
            {
                continue;
            }
            writes.Add(new Write(Tables.Aggregates, WriteKind.Upsert, [key.ToString(), seq, Encoding.UTF8.GetString(AggregateCodec.Write(state, key)!)]));
        }
        if (cohort.PasswordHash is { } hash)
        {
            foreach (var member in state.Members)
            {
                writes.Add(new Write(Tables.Credentials, WriteKind.Upsert, [member.Id, hash, "member", member.JoinedAt.ToUniversalTime()]));
            }
        }
        return writes;
    }
}
