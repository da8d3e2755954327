using BenchmarkDotNet.Attributes;
using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Benchmarks;

/// <summary>
/// The first read after a member was idle for <see cref="IdleMonths"/> months: catching up every
/// grant and expiry they missed. Each invocation catches up a member set up fresh in the iteration
/// setup: subscribed to Premium Business (monthly, 15 credits a cycle under a cap of 45), with a
/// bought pack of 25 and a 60-day bonus of 10, then nothing until now. <c>IdleMonths = 0</c> is the
/// floor: a catch-up with nothing due, as every read and write does.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
[InvocationCount(Members, 1)]
public class CatchUpBenchmark
{
    private const int Members = 100;
    private InMailEngine _engine = null!;
    private Member[] _members = [];
    private DateTimeOffset _now;
    private int _next;

    [Params(0, 1, 6, 24, 48)]
    public int IdleMonths { get; set; }

    [GlobalSetup]
    public void WarmUp() => Warm.Up(() =>
    {
        Setup();
        for (var i = 0; i < Members; i++)
        {
            CatchUp();
        }
    });

    [IterationSetup]
    public void Setup()
    {
        _engine = new InMailEngine(World.Catalog);
        _members = new Member[Members];
        for (var i = 0; i < Members; i++)
        {
            var id = $"idle-{i}";
            _members[i] = World.Ok(_engine.AddMember(World.Start, id, new Profile($"Idle {i}")));
            World.Ok(_engine.Subscribe(World.Start, id, "premium-business", BillingPeriod.Monthly));
            World.Ok(_engine.Buy(World.Start, id, 25));
            World.Ok(_engine.GrantBonus(World.Start, id, 10, 60, "welcome back"));
        }
        _now = UtcCalendar.AddMonths(World.Start, IdleMonths);
        _next = 0;
    }

    [Benchmark]
    public void CatchUp() => _engine.CatchUp(_now, _members[_next++]);

    /// <summary>
    /// Every member caught up was caught up through the grant at <c>now</c>, the start of cycle
    /// <see cref="IdleMonths"/> (BenchmarkDotNet's jitting stage runs iterations of one invocation).
    /// </summary>
    [IterationCleanup]
    public void Check()
    {
        foreach (var member in _members.AsSpan(0, _next))
        {
            if (member.Subscription!.NextCycle != IdleMonths + 1)
            {
                throw new InvalidOperationException($"{member.Id} is at cycle {member.Subscription.NextCycle}, not {IdleMonths + 1}");
            }
        }
    }
}
