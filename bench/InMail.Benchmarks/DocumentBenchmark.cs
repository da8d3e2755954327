using BenchmarkDotNet.Attributes;
using InMail.Domain;
using InMail.Domain.Network;
using InMail.Domain.WorkingSet;

namespace InMail.Benchmarks;

/// <summary>
/// Writing one member's document (decision 007), as every batch does for each member it touched, while
/// <see cref="PendingInvitations"/> invitations of other members wait in the working set. A member's document holds
/// the invitations that member sent: finding them used to visit every invitation in memory.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class DocumentBenchmark
{
    private InMailEngine _engine = null!;
    private int _next;

    [Params(0, 5_000, 50_000)]
    public int PendingInvitations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = new InMailEngine(World.Catalog);
        var members = Math.Max(2 * PendingInvitations, 1_000);
        for (var i = 0; i < members; i++)
        {
            World.Ok(_engine.AddMember(World.Start, $"u{i}", new Profile($"Member {i}")));
        }
        for (var i = 0; i < PendingInvitations; i++)
        {
            World.Ok(_engine.Invite(World.Start, $"u{2 * i}", $"u{(2 * i) + 1}", null));
        }
        Warm.Up(() => WriteMemberDocument());
    }

    [Benchmark]
    public int WriteMemberDocument()
    {
        _next = (_next + 7_919) % 1_000;
        return AggregateCodec.Write(_engine.State, AggregateKey.ForMember($"u{_next}"))!.Length;
    }
}
