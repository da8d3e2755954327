using System.Diagnostics.Metrics;
using InMail.Storage;

namespace InMail.Integration.Tests.Storage;

/// <summary>The writer's instruments (meter <c>InMail.Store</c>) say what each committed batch carried and where its time went.</summary>
public abstract partial class CommandStoreContract
{
    [Fact]
    public async Task The_store_meter_counts_what_committed_batches_carried_and_times_each_phase()
    {
        await using var store = Open();
        var counted = new Dictionary<string, long>();
        var phases = new Dictionary<string, int>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == StoreMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, store))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            lock (counted)
            {
                counted[instrument.Name] = counted.GetValueOrDefault(instrument.Name) + value;
            }
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            Assert.True(value >= 0, $"{instrument.Name} recorded {value}");
            lock (phases)
            {
                foreach (var tag in tags)
                {
                    phases[(string)tag.Value!] = phases.GetValueOrDefault((string)tag.Value!) + 1;
                }
            }
        });
        listener.Start();

        await Ok(store, """{"do":"member","id":"alice","name":"Alice"}""");
        await Ok(store, """{"do":"member","id":"bob","name":"Bob"}""");
        await Ok(store, """{"do":"subscribe","member":"alice","plan":"premium-business","billing":"monthly"}""");
        await Ok(store, """{"do":"send","id":"m1","from":"alice","to":"bob","subject":"Hi","body":"Hello Bob"}""");
        var refused = await Run(store, """{"do":"buy","member":"nobody","pack":10}""");
        Assert.False(refused.IsSuccess);

        lock (counted)
        {
            // Four requests were written, one batch each; the refusal wrote nothing, so its batch is not counted.
            Assert.Equal(4, counted.GetValueOrDefault("inmail.store.commands"));
            Assert.Equal(4, counted.GetValueOrDefault("inmail.store.batches"));
            // Two members, then alice (her plan), then alice, bob and their conversation (and the message counter).
            Assert.InRange(counted.GetValueOrDefault("inmail.store.documents"), 6, 7);
            Assert.True(counted.GetValueOrDefault("inmail.store.document.bytes") > 300);
        }
        lock (phases)
        {
            foreach (var phase in new[] { "read", "decide", "project", "documents", "commit" })
            {
                Assert.True(phases.GetValueOrDefault(phase) >= 4, $"phase {phase}: {phases.GetValueOrDefault(phase)} of 4 batches");
            }
        }
    }
}
