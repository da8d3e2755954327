using BenchmarkDotNet.Attributes;
using InMail.Domain;
using InMail.Domain.Messaging;

namespace InMail.Benchmarks;

/// <summary>
/// Send and Respond on a fresh system per iteration. Ten senders each hold 10 live lots and send,
/// in turn, one paid InMail a minute to strangers: 400 each, 4,000 an iteration, so no daily,
/// weekly, thread or credit limit is reached and no sender passes the 500-conversation inbox cap.
/// Respond answers those 4,000 InMails, each refund returning the credit to its live lot.
/// <see cref="SendWithFullInbox"/> is the same send from senders who already hold 500 active
/// conversations, so every new conversation archives the least recently active one.
/// </summary>
[Config(typeof(BenchConfig))]
[MemoryDiagnoser]
[InvocationCount(Senders * PerSender, 1)]
public class SendBenchmark
{
    private const int Senders = 10;
    private const int PerSender = 400;
    private const int Operations = Senders * PerSender;
    private const int InboxCap = 500;

    private InMailEngine _engine = null!;
    private SendRequest[] _requests = [];
    private DateTimeOffset[] _times = [];
    private Message[] _inmails = [];
    private int[] _balances = [];
    private int _next;

    // ---------------------------------------------------------------- send

    [GlobalSetup(Target = nameof(Send))]
    public void WarmSend() => Warm.Up(() => RunIteration(SetupSend, () => Send()));

    [IterationSetup(Target = nameof(Send))]
    public void SetupSend() => Prepare(alreadySent: 0);

    [Benchmark]
    public Outcome<Sent> Send()
    {
        var i = _next++;
        return _engine.Send(_times[i], _requests[i]);
    }

    [IterationCleanup(Target = nameof(Send))]
    public void CheckSend() => CheckBalances(sentInSetup: false);

    // ---------------------------------------------------------------- send past the inbox cap

    [GlobalSetup(Target = nameof(SendWithFullInbox))]
    public void WarmSendWithFullInbox() => Warm.Up(() => RunIteration(SetupSendWithFullInbox, () => SendWithFullInbox()));

    [IterationSetup(Target = nameof(SendWithFullInbox))]
    public void SetupSendWithFullInbox() => Prepare(alreadySent: InboxCap);

    [Benchmark]
    public Outcome<Sent> SendWithFullInbox()
    {
        var i = _next++;
        return _engine.Send(_times[i], _requests[i]);
    }

    [IterationCleanup(Target = nameof(SendWithFullInbox))]
    public void CheckSendWithFullInbox() => CheckBalances(sentInSetup: false);

    // ---------------------------------------------------------------- respond

    [GlobalSetup(Target = nameof(Respond))]
    public void WarmRespond() => Warm.Up(() => RunIteration(SetupRespond, () => Respond()));

    [IterationSetup(Target = nameof(Respond))]
    public void SetupRespond()
    {
        Prepare(alreadySent: 0);
        _inmails = new Message[Operations];
        for (var i = 0; i < Operations; i++)
        {
            _inmails[i] = World.SendPaid(_engine, _times[i], _requests[i]);
        }
        // The responses come an hour after the last send, one every 6 seconds.
        var respondFrom = _times[^1].AddHours(1);
        for (var i = 0; i < Operations; i++)
        {
            _times[i] = respondFrom.AddSeconds(6 * i);
        }
        _next = 0;
    }

    [Benchmark]
    public Outcome<Responded> Respond()
    {
        var i = _next++;
        var inmail = _inmails[i];
        return _engine.Respond(_times[i], inmail.To, inmail.Id, ResponseKind.Reply, World.ReplyBody);
    }

    [IterationCleanup(Target = nameof(Respond))]
    public void CheckRespond() => CheckBalances(sentInSetup: true);

    // ---------------------------------------------------------------- the system

    private static void RunIteration(Action setup, Action operation)
    {
        setup();
        for (var i = 0; i < Operations; i++)
        {
            operation();
        }
    }

    /// <summary>
    /// A fresh system whose senders already sent <paramref name="alreadySent"/> InMails each (one a
    /// minute, before the measured ones), and the measured sends: operation i is sender i mod 10 to
    /// a stranger none of them wrote to yet, 6 seconds after operation i − 1.
    /// </summary>
    private void Prepare(int alreadySent)
    {
        var strangers = alreadySent + PerSender;
        _engine = World.Build(Senders, strangers);
        for (var r = 0; r < alreadySent; r++)
        {
            for (var s = 0; s < Senders; s++)
            {
                var at = World.SendingStarts.AddSeconds(6 * ((r * Senders) + s));
                World.SendPaid(_engine, at, new SendRequest(World.Sender(s), World.Recipient(r), World.Subject, World.Body));
            }
        }
        var from = World.SendingStarts.AddSeconds(6 * alreadySent * Senders);
        _requests = new SendRequest[Operations];
        _times = new DateTimeOffset[Operations];
        for (var i = 0; i < Operations; i++)
        {
            _requests[i] = new SendRequest(World.Sender(i % Senders), World.Recipient(alreadySent + (i / Senders)), World.Subject, World.Body);
            _times[i] = from.AddSeconds(6 * i);
        }
        _balances = [.. Enumerable.Range(0, Senders).Select(s => World.Balance(_engine, World.Sender(s)))];
        _next = 0;
    }

    /// <summary>
    /// Every measured operation did its work: each send took one credit, each response brought one
    /// back, and all 10 lots of every sender are still live. BenchmarkDotNet may run an iteration of
    /// a single invocation (its jitting stage), so the expectation counts the operations that ran.
    /// </summary>
    private void CheckBalances(bool sentInSetup)
    {
        for (var s = 0; s < Senders; s++)
        {
            var ran = (_next / Senders) + (s < _next % Senders ? 1 : 0);
            var expected = sentInSetup ? _balances[s] - PerSender + ran : _balances[s] - ran;
            var balance = World.Balance(_engine, World.Sender(s));
            var lots = _engine.State.FindMember(World.Sender(s))!.Wallet.LiveLots.Count;
            if (balance != expected || lots != World.LiveLots)
            {
                throw new InvalidOperationException($"{World.Sender(s)}: balance {balance} (expected {expected}), {lots} live lots after {_next} operations");
            }
        }
    }
}
