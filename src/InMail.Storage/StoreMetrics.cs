using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace InMail.Storage;

/// <summary>
/// What the writer spends a batch on, as <see cref="System.Diagnostics.Metrics"/> instruments of the meter
/// <c>InMail.Store</c>: an operator watches them live with
/// <c>dotnet-counters monitor -n InMail.Web --counters InMail.Store</c>, and the benchmarks read them to say
/// where a batch's time goes (bench/README.md). Recording is a few timestamps per batch; nothing is kept when
/// no listener is attached. Each store has its own meter, scoped to the store, so that a listener can tell two
/// stores of one process apart.
/// </summary>
public sealed class StoreMetrics : IDisposable
{
    /// <summary>The meter's name, for listeners and exporters.</summary>
    public const string MeterName = "InMail.Store";

    private readonly Meter _meter;
    private readonly Histogram<double> _phase;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _commands;
    private readonly Counter<long> _documentBytes;
    private readonly Counter<long> _documents;

    internal StoreMetrics(object scope)
    {
        _meter = new Meter(new MeterOptions(MeterName) { Scope = scope });
        _phase = _meter.CreateHistogram<double>("inmail.store.batch.phase", "ms",
            "Time a batch spent in a phase of the writer: read (what others logged, and the batch's documents), decide (the engine), "
            + "project (table rows), documents (aggregates' documents), commit (statements and the durable commit)");
        _batches = _meter.CreateCounter<long>("inmail.store.batches", "{batch}", "Batches committed");
        _commands = _meter.CreateCounter<long>("inmail.store.commands", "{command}", "Requests carried by committed batches");
        _documents = _meter.CreateCounter<long>("inmail.store.documents", "{document}", "Aggregates' documents written by committed batches");
        _documentBytes = _meter.CreateCounter<long>("inmail.store.document.bytes", "By", "Bytes of aggregates' documents written by committed batches");
    }

    /// <summary>Starts timing a batch: <see cref="BatchClock.Lap"/> after each phase records the time since the last.</summary>
    internal BatchClock StartBatch() => new(_phase);

    /// <summary>Counts a committed batch: its requests, and the documents and bytes it wrote.</summary>
    internal void Committed(int commands, int documents, long documentBytes)
    {
        _batches.Add(1);
        _commands.Add(commands);
        _documents.Add(documents);
        _documentBytes.Add(documentBytes);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    /// <summary>Times the phases of one batch.</summary>
    internal struct BatchClock(Histogram<double> phase)
    {
        private long _last = Stopwatch.GetTimestamp();

        /// <summary>Records the time since the previous lap (or the start) under <paramref name="name"/>.</summary>
        public void Lap(string name)
        {
            var now = Stopwatch.GetTimestamp();
            if (phase.Enabled)
            {
                phase.Record(Stopwatch.GetElapsedTime(_last, now).TotalMilliseconds, new KeyValuePair<string, object?>("phase", name));
            }
            _last = now;
        }
    }
}
