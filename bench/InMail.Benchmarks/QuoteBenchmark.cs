using BenchmarkDotNet.Attributes;
using InMail.Domain;

namespace InMail.Benchmarks;

/// <summary>
/// Quote a paid InMail to a stranger for a sender with 10 live lots who already sent 200 InMails
/// today. A quote changes nothing, so one system serves every invocation.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
public class QuoteBenchmark
{
    private const int History = 200;
    private const int Strangers = 1_024;
    private InMailEngine _engine = null!;
    private SendRequest[] _requests = [];
    private DateTimeOffset _now;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _engine = World.Build(senders: 1, strangers: History + Strangers);
        var sender = World.Sender(0);
        for (var i = 0; i < History; i++)
        {
            World.SendPaid(_engine, World.SendingStarts.AddMinutes(i), new SendRequest(sender, World.Recipient(i), World.Subject, World.Body));
        }
        _now = World.SendingStarts.AddMinutes(History);
        _requests = [.. Enumerable.Range(History, Strangers).Select(r => new SendRequest(sender, World.Recipient(r), World.Subject, World.Body))];
        var quote = World.Ok(_engine.Quote(_now, _requests[0]));
        if (quote is not { Path: InMail.Domain.Messaging.SendPath.InMail, Cost: 1, ChargedLot: not null })
        {
            throw new InvalidOperationException($"expected a paid InMail quote, got {quote}");
        }
        Warm.Up(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                Quote();
            }
        });
    }

    [Benchmark]
    public Outcome<Quote> Quote()
    {
        var request = _requests[_next];
        _next = (_next + 1) & (Strangers - 1);
        return _engine.Quote(_now, request);
    }
}
