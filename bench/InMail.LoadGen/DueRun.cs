using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;

namespace InMail.LoadGen;

/// <summary>
/// The due-work target (decision 009): N scheduled sends falling due within one window of real
/// time on a live server, run by its scheduler; reports how late they ran and how fast it ran them.
/// <list type="bullet">
/// <item>Who: ⌈N/P⌉ senders on <c>recruiter-corporate</c> (150 credits and 150 InMails a day), P schedules
/// each (<c>--per-sender</c>, at most 100 pending, SPEC §10), and ⌈N/10⌉ recipients (at least P).
/// Schedule n = P i + k is sender i's k-th and goes to recipient n mod R: every pair is used once
/// (R ≥ P &gt; k), and a recipient gets at most 10 InMails (the weekly limit is 20). Every run is a
/// paid InMail.</item>
/// <item>When: the k-th schedule of sender i falls due at W0 + spread × (k S + i) / N, so the senders take
/// turns through the window. They are created over HTTP in due order, before W0 (<c>--lead</c>).</item>
/// <item>What is measured, from the schedules as the server reports them (its own clock): each one's
/// lateness (<c>endedAt − dueAt</c>), the lateness of the last to run, and the rates the scheduler
/// reached (over the window and its catch-up, and its best 1 s and 5 s). The command log must grow by
/// exactly N while they run (one <c>run-schedule</c> each), every schedule must be <c>sent</c>, never
/// before its instant, each with a message of its own.</item>
/// </list>
/// </summary>
public sealed class DueRun
{
    public const int MostPerSender = 100;       // SPEC §10: at most 100 pending scheduled sends a member
    public const int PerRecipient = 10;         // under the weekly recipient limit of 20

    private const string Subject = "A question about your platform work";
    private const string Body =
        "Hello, I lead hiring for the platform team at a company building payments infrastructure. " +
        "Your work on distributed storage caught my eye. Would you be open to a short call next week?";

    private readonly List<(DateTimeOffset Due, DateTimeOffset Ended)> _done = [];

    public required int Schedules { get; init; }
    public required double Spread { get; init; }
    public double CreateSeconds { get; private set; }
    public DateTimeOffset WindowStart { get; private set; }
    public long LogGrowth { get; private set; }
    public int NotSent { get; private set; }
    public int Early { get; private set; }
    public int DuplicateMessages { get; private set; }
    public bool CreatedLate { get; private set; }
    public bool TimedOut { get; private set; }

    public bool Clean => NotSent == 0 && Early == 0 && DuplicateMessages == 0 && LogGrowth == Schedules && !TimedOut;

    public static async Task<DueRun> RunAsync(Api api, Options options)
    {
        var n = options.Schedules;
        var perSender = options.PerSender;
        var senders = (n + perSender - 1) / perSender;
        var recipients = Math.Max(perSender, (n + PerRecipient - 1) / PerRecipient);
        var run = new DueRun { Schedules = n, Spread = options.Spread };
        var inv = CultureInfo.InvariantCulture;

        // Who: recipients, then senders subscribed (their first cycle grants 150 credits).
        var clock = Stopwatch.StartNew();
        await ForEach(recipients, options.SetupClients, async j =>
            await api.MustPostAsync("api/v1/auth/register", new { member = $"due-r{j}", name = $"Due Recipient {j}", password = "load-password-1" }, null, HttpStatusCode.Created));
        var tokens = new string[senders];
        await ForEach(senders, options.SetupClients, async i =>
        {
            var id = $"due-s{i}";
            var answer = await api.MustPostAsync("api/v1/auth/register", new { member = id, name = $"Due Sender {i}", password = "load-password-1" }, null, HttpStatusCode.Created);
            tokens[i] = answer!["accessToken"]!.GetValue<string>();
            await api.MustPostAsync($"api/v1/members/{id}/subscription", new { plan = Population.Plan }, tokens[i], HttpStatusCode.Created);
        });
        Console.WriteLine(string.Create(inv, $"due setup: {recipients:N0} recipients, {senders:N0} senders on {Population.Plan}; {recipients + (2 * senders):N0} requests in {clock.Elapsed.TotalSeconds:F1} s"));

        // When: in due order, the window opening --lead seconds from now.
        var now = DateTimeOffset.UtcNow;
        run.WindowStart = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)) + TimeSpan.FromSeconds(options.Lead);
        var order = new List<(int Sender, int Slot)>(n);
        for (var k = 0; k < perSender; k++)
        {
            for (var i = 0; i < senders; i++)
            {
                if ((i * perSender) + k < n)
                {
                    order.Add((i, k));
                }
            }
        }
        var seqBefore = await api.LastSeqAsync();
        clock.Restart();
        var late = 0;
        await ForEach(order.Count, options.SetupClients, async m =>
        {
            var (i, k) = order[m];
            var due = run.WindowStart + TimeSpan.FromSeconds(options.Spread * m / order.Count);
            if (due <= DateTimeOffset.UtcNow.AddSeconds(1))
            {
                Interlocked.Increment(ref late); // the window opened before it could be created: the run says so and fails
                return;
            }
            var (status, answer) = await api.PostAsync("api/v1/schedules", new
            {
                id = string.Create(inv, $"due-{k:000}"),
                to = string.Create(inv, $"due-r{((i * perSender) + k) % recipients}"),
                subject = Subject,
                body = Body,
                sendAt = due.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", inv),
            }, tokens[i]);
            if (status == HttpStatusCode.BadRequest && answer?["code"]?.GetValue<string>() == "invalid-input" && due <= DateTimeOffset.UtcNow)
            {
                Interlocked.Increment(ref late); // its instant passed while the request waited in the server
            }
            else if (status != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"POST api/v1/schedules: expected 201, got {(int)status}: {answer?.ToJsonString()}");
            }
        });
        run.CreateSeconds = clock.Elapsed.TotalSeconds;
        run.CreatedLate = late > 0;
        var seqCreated = await api.LastSeqAsync();
        Console.WriteLine(string.Create(inv,
            $"due create: {n - late:N0} schedules in {run.CreateSeconds:F1} s ({(n - late) / run.CreateSeconds:N0}/s over HTTP, {options.SetupClients} clients); "
            + $"log grew by {seqCreated - seqBefore:N0}; the window opens {(run.WindowStart - DateTimeOffset.UtcNow).TotalSeconds:F1} s later"
            + $"{(late > 0 ? $"; {late:N0} NOT CREATED: their instant came first, give a longer --lead" : "")}"));

        // Wait until every run-schedule is logged, watching the log grow.
        var target = seqCreated + n - late;
        var deadline = run.WindowStart + TimeSpan.FromSeconds(options.Spread + options.CatchUp);
        var seq = seqCreated;
        var lastReport = DateTimeOffset.MinValue;
        while (seq < target)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                run.TimedOut = true;
                Console.WriteLine(string.Create(inv, $"due: {target - seq:N0} still not run {options.CatchUp} s after the window closed; giving up"));
                break;
            }
            await Task.Delay(250);
            seq = await api.LastSeqAsync();
            if (DateTimeOffset.UtcNow - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = DateTimeOffset.UtcNow;
                Console.WriteLine(string.Create(inv, $"due: {(lastReport - run.WindowStart).TotalSeconds,6:F1} s into the window, {seq - seqCreated,9:N0} run"));
            }
        }
        await Task.Delay(1000); // anything past the target (a second run of one) would show here
        run.LogGrowth = await api.LastSeqAsync() - seqCreated;

        // What each schedule says: sent, its message, its instants (the server's clock).
        var messages = new HashSet<string>(StringComparer.Ordinal);
        var gate = new Lock();
        await ForEach(senders, options.SetupClients, async i =>
        {
            var list = (await api.GetAsync($"api/v1/members/due-s{i}/schedules", tokens[i])).AsArray();
            lock (gate)
            {
                foreach (var s in list.OfType<JsonObject>())
                {
                    if (s["status"]!.GetValue<string>() != "sent")
                    {
                        run.NotSent++;
                        continue;
                    }
                    var due = s["dueAt"]!.GetValue<DateTimeOffset>();
                    var ended = s["endedAt"]!.GetValue<DateTimeOffset>();
                    run.Early += ended < due ? 1 : 0;
                    run.DuplicateMessages += messages.Add(s["messageId"]!.GetValue<string>()) ? 0 : 1;
                    run._done.Add((due, ended));
                }
            }
        });
        run.NotSent += n - late - run._done.Count - run.NotSent; // missing from the lists: not sent either
        return run;
    }

    public void Print(string label)
    {
        var inv = CultureInfo.InvariantCulture;
        var late = _done.Select(d => (d.Ended - d.Due).TotalMilliseconds).Order().ToList();
        double P(double p) => late.Count == 0 ? double.NaN : late[Math.Min(late.Count - 1, (int)(p / 100 * late.Count))];
        var last = _done.Count == 0 ? default : _done.MaxBy(d => d.Ended);
        var firstRun = _done.Count == 0 ? default : _done.Min(d => d.Ended);
        var overall = _done.Count / Math.Max(0.001, (last.Ended - WindowStart).TotalSeconds);
        var (peak1, peak5) = PeakRates();
        Console.WriteLine(string.Create(inv,
            $"due   {_done.Count:N0} ran over a {Spread:F0} s window ({Schedules / Spread:N0}/s offered): the last ran {(last.Ended - WindowStart).TotalSeconds:F1} s after the window opened, "
            + $"{(last.Ended - last.Due).TotalSeconds:F2} s after its instant"));
        Console.WriteLine(string.Create(inv,
            $"      lateness p50 {P(50):F0} ms  p90 {P(90):F0} ms  p99 {P(99):F0} ms  max {late.LastOrDefault():F0} ms; "
            + $"scheduler {overall:N0} sends/s from the window's opening to the last run, best 1 s {peak1:N0}/s, best 5 s {peak5:N0}/s; first ran {(firstRun - WindowStart).TotalMilliseconds:F0} ms after the window opened"));
        Console.WriteLine(string.Create(inv,
            $"      check: command log grew by {LogGrowth:N0} for {Schedules:N0} schedules ({(LogGrowth == Schedules ? "match" : "MISMATCH")}); not sent {NotSent}, early {Early}, duplicate messages {DuplicateMessages}"
            + $"{(CreatedLate ? "; SOME WERE NOT CREATED IN TIME" : "")}{(TimedOut ? "; TIMED OUT" : "")}"));
        Console.WriteLine(string.Create(inv,
            $"RESULT label={(label.Length == 0 ? "-" : label)} target=due schedules={Schedules} spread_s={Spread:F0} create_s={CreateSeconds:F1} create_rps={Schedules / CreateSeconds:F0} "
            + $"last_late_s={(last.Ended - last.Due).TotalSeconds:F2} last_after_open_s={(last.Ended - WindowStart).TotalSeconds:F1} p50_late_ms={P(50):F0} p99_late_ms={P(99):F0} max_late_ms={late.LastOrDefault():F0} "
            + $"rate={overall:F0} peak1s={peak1:F0} peak5s={peak5:F0} not_sent={NotSent} early={Early} dup_messages={DuplicateMessages} log_match={(LogGrowth == Schedules ? "yes" : "no")} "
            + $"created_late={(CreatedLate ? "yes" : "no")} timed_out={(TimedOut ? "yes" : "no")}"));
    }

    /// <summary>The most runs in any 1 s and any 5 s (sliding over the run instants), per second.</summary>
    private (double One, double Five) PeakRates()
    {
        var ends = _done.Select(d => d.Ended).Order().ToList();
        double Peak(TimeSpan window)
        {
            var best = 0;
            for (int a = 0, b = 0; b < ends.Count; b++)
            {
                while (ends[b] - ends[a] >= window)
                {
                    a++;
                }
                best = Math.Max(best, b - a + 1);
            }
            return best / window.TotalSeconds;
        }
        return (Peak(TimeSpan.FromSeconds(1)), Peak(TimeSpan.FromSeconds(5)));
    }

    private static async Task ForEach(int count, int parallel, Func<int, Task> work)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Math.Min(parallel, count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await work(i);
            }
        }));
    }
}
