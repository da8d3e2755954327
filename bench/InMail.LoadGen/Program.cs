using System.Diagnostics;
using System.Globalization;
using System.Net;
using InMail.LoadGen;

Options options;
try
{
    options = Options.Parse(args);
}
catch (ArgumentException e)
{
    if (e.Message.Length > 0)
    {
        Console.Error.WriteLine(e.Message);
    }
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

Population.Prefix = options.Prefix;
var maxClients = options.Clients.Max();
using var api = new Api(options.Url, Math.Max(maxClients, options.SetupClients));
Population? population = null;
string? operatorToken = null;
var failed = false;
var sendRuns = 0;

foreach (var target in options.Targets)
{
    if (target == "due")
    {
        var due = await DueRun.RunAsync(api, options);
        due.Print(options.Label);
        failed |= !due.Clean;
        continue;
    }
    foreach (var clients in options.Clients)
    {
        if (target == "send")
        {
            operatorToken ??= (await api.MustPostAsync("api/v1/auth/token", new { member = "operator", password = options.OperatorPassword }, null, HttpStatusCode.OK))!["accessToken"]!.GetValue<string>();
            population ??= await Population.CreateAsync(api, options.Senders, options.Recipients, options.SetupClients, operatorToken);
            if (sendRuns++ > 0)
            {
                // A new week: the recipients' weekly limit and the senders' daily limit start over.
                await api.MustPostAsync("api/v1/operator/clock/advance", new { days = 7, hours = 1 }, operatorToken, HttpStatusCode.OK);
            }
        }
        var result = await LoadRun.RunAsync(api, target, clients, options, population);
        result.Print(options.Label);
        failed |= !result.Clean;
    }
}
return failed ? 1 : 0;

/// <summary>One measured run: N closed-loop clients, each sending its next request as soon as the last is answered.</summary>
internal sealed class LoadRun
{
    public required string Target { get; init; }
    public required int Clients { get; init; }
    public double Seconds { get; private set; }
    public Histogram Latency { get; } = new();
    public SortedDictionary<int, long> Statuses { get; } = [];
    public long Errors { get; private set; }
    public long NotPaid { get; private set; }
    public long WarmupRequests { get; private set; }
    public long WarmupFailures { get; private set; }
    public long AllAccepted { get; private set; }
    public long? LogGrowth { get; private set; }
    public bool Exhausted { get; private set; }
    public double ClientCpu { get; private set; }
    public double? ServerCores { get; private set; }

    public long Measured => Latency.Count;
    public long Non2xx => Statuses.Where(s => s.Key is < 200 or > 299).Sum(s => s.Value) + Errors;
    public bool Clean => Non2xx == 0 && WarmupFailures == 0 && NotPaid == 0 && !Exhausted && (LogGrowth is null || LogGrowth == AllAccepted);

    public static async Task<LoadRun> RunAsync(Api api, string target, int clients, Options options, Population? population)
    {
        var run = new LoadRun { Target = target, Clients = clients };
        long seqBefore = 0;
        if (target == "send")
        {
            population!.BeginRun();
            seqBefore = await api.LastSeqAsync();
        }
        var frequency = (double)Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(options.Warmup * frequency);
        var measureTo = measureFrom + (long)(options.Duration * frequency);

        var workers = new ClientState[clients];
        var tasks = new Task[clients];
        var budget = new Budget(options.Sends);
        for (var c = 0; c < clients; c++)
        {
            var state = workers[c] = new ClientState();
            tasks[c] = Task.Run(() => Client(api, target, population, state, measureFrom, measureTo, budget));
        }
        // CPU use over the measured window only: sampled when it opens and when it closes.
        await Task.Delay(TimeSpan.FromSeconds(options.Warmup));
        var cpuAtStart = Environment.CpuUsage.TotalTime;
        var serverAtStart = ServerCpu(options.ServerPid);
        var remaining = measureTo - Stopwatch.GetTimestamp();
        if (remaining > 0)
        {
            await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(TimeSpan.FromSeconds(remaining / frequency)));
        }
        var cpuAtEnd = Environment.CpuUsage.TotalTime;
        var serverAtEnd = ServerCpu(options.ServerPid);
        var measuredEnd = Math.Min(Stopwatch.GetTimestamp(), measureTo);
        await Task.WhenAll(tasks);
        if (budget.Spent)
        {
            measuredEnd = workers.Max(w => w.LastMeasured); // the run ended with its last measured answer
        }

        foreach (var w in workers)
        {
            run.Latency.Add(w.Latency);
            foreach (var (status, count) in w.Statuses)
            {
                run.Statuses[status] = run.Statuses.GetValueOrDefault(status) + count;
            }
            run.Errors += w.Errors;
            run.NotPaid += w.NotPaid;
            run.WarmupRequests += w.WarmupRequests;
            run.WarmupFailures += w.WarmupFailures;
            run.AllAccepted += w.Accepted;
            run.Exhausted |= w.Exhausted;
            if (w.Exhausted)
            {
                measuredEnd = Math.Min(measuredEnd, Math.Max(w.StoppedAt, measureFrom));
            }
        }
        run.Seconds = (measuredEnd - measureFrom) / frequency;
        var window = (cpuAtEnd - cpuAtStart).TotalSeconds;
        run.ClientCpu = window / run.Seconds;
        if (serverAtStart is { } s0 && serverAtEnd is { } s1)
        {
            run.ServerCores = (s1 - s0) / run.Seconds;
        }
        if (target == "send")
        {
            population!.EndRun();
            run.LogGrowth = await api.LastSeqAsync() - seqBefore;
        }
        return run;
    }

    private static async Task Client(Api api, string target, Population? population, ClientState state, long measureFrom, long measureTo, Budget budget)
    {
        var http = api.Http;
        var subject = Population.InMailSubject;
        var body = Population.InMailBody;
        while (true)
        {
            var t0 = Stopwatch.GetTimestamp();
            if (t0 >= measureTo || (t0 >= measureFrom && !budget.Take()))
            {
                return;
            }
            HttpRequestMessage request;
            if (target == "send")
            {
                if (!population!.TryNext(out var bearer, out var to))
                {
                    state.Exhausted = true;
                    state.StoppedAt = t0;
                    return;
                }
                request = Api.SendRequest(api.SendUri, bearer, to, subject, body);
            }
            else
            {
                request = Api.NoopRequest(api.NoopUri);
            }
            int status;
            var paid = true;
            try
            {
                using (request)
                using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead))
                {
                    status = (int)response.StatusCode;
                    if (target == "send")
                    {
                        // A real InMail: accepted (201), by the paid path, for one credit.
                        var answer = await response.Content.ReadAsByteArrayAsync();
                        paid = status == 201 && answer.AsSpan().IndexOf("\"path\":\"inmail\""u8) >= 0 && answer.AsSpan().IndexOf("\"cost\":1,"u8) >= 0;
                    }
                }
            }
#pragma warning disable CA1031 // A failed request is counted, not fatal: the run reports it.
            catch (Exception)
#pragma warning restore CA1031
            {
                status = 0;
            }
            var t1 = Stopwatch.GetTimestamp();
            if (status is >= 200 and <= 299)
            {
                state.Accepted++;
            }
            if (t0 < measureFrom)
            {
                state.WarmupRequests++;
                if (status is < 200 or > 299 || !paid)
                {
                    state.WarmupFailures++;
                }
                continue;
            }
            if (t1 > measureTo)
            {
                continue; // answered after the window closed: not part of the measurement
            }
            state.Latency.Record((long)((t1 - t0) * 1_000_000.0 / Stopwatch.Frequency));
            state.LastMeasured = t1;
            if (status == 0)
            {
                state.Errors++;
            }
            else
            {
                state.Statuses[status] = state.Statuses.GetValueOrDefault(status) + 1;
            }
            if (!paid)
            {
                state.NotPaid++;
            }
        }
    }

    /// <summary>The server's user + system CPU seconds so far, from /proc (Linux), when its process id is known.</summary>
    private static double? ServerCpu(int? pid)
    {
        if (pid is not { } id)
        {
            return null;
        }
        try
        {
            var stat = File.ReadAllText($"/proc/{id}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // After the command: state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return ticks / 100.0; // USER_HZ
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Print(string label)
    {
        var inv = CultureInfo.InvariantCulture;
        double Ms(long micros) => micros / 1000.0;
        var rps = Measured / Seconds;
        var statuses = string.Join(' ', Statuses.Select(s => string.Create(inv, $"{s.Key}:{s.Value}")));
        Console.WriteLine(string.Create(inv,
            $"{Target,-5} clients={Clients,-3} {Seconds:F1} s  {Measured,9:N0} requests  {rps,9:N0} req/s  "
            + $"p50 {Ms(Latency.Percentile(50)):F2} ms  p90 {Ms(Latency.Percentile(90)):F2} ms  p99 {Ms(Latency.Percentile(99)):F2} ms  max {Ms(Latency.Max):F2} ms  "
            + $"[{statuses}{(Errors > 0 ? $" errors:{Errors}" : "")}]"));
        Console.WriteLine(string.Create(inv,
            $"      cpu: load generator {ClientCpu:F2} cores{(ServerCores is { } s ? $", server {s:F2} cores" : "")} (of {Environment.ProcessorCount}); warm-up {WarmupRequests:N0} requests, {WarmupFailures} failed"));
        if (Target == "send")
        {
            Console.WriteLine(string.Create(inv,
                $"      check: {AllAccepted:N0} sends accepted in the run (warm-up and tail included), command log grew by {LogGrowth:N0}: "
                + $"{(LogGrowth == AllAccepted ? "match" : "MISMATCH")}; not a paid 1-credit InMail: {NotPaid}"));
        }
        if (Exhausted)
        {
            Console.WriteLine("      WARNING: the run used every (sender, recipient) pair its limits allow and stopped early: give more --recipients (and --senders)");
        }
        Console.WriteLine(string.Create(inv,
            $"RESULT label={(label.Length == 0 ? "-" : label)} target={Target} clients={Clients} seconds={Seconds:F1} requests={Measured} rps={rps:F0} "
            + $"p50_ms={Ms(Latency.Percentile(50)):F2} p90_ms={Ms(Latency.Percentile(90)):F2} p99_ms={Ms(Latency.Percentile(99)):F2} max_ms={Ms(Latency.Max):F2} "
            + $"non2xx={Non2xx} warmup_failed={WarmupFailures} not_paid={NotPaid} log_match={(LogGrowth is null ? "n/a" : LogGrowth == AllAccepted ? "yes" : "no")} "
            + $"exhausted={(Exhausted ? "yes" : "no")} client_cpu={ClientCpu:F2} server_cpu={(ServerCores is { } c ? c.ToString("F2", inv) : "n/a")}"));
    }

    private sealed class ClientState
    {
        public Histogram Latency { get; } = new();
        public Dictionary<int, long> Statuses { get; } = [];
        public long Errors { get; set; }
        public long NotPaid { get; set; }
        public long WarmupRequests { get; set; }
        public long WarmupFailures { get; set; }
        public long Accepted { get; set; }
        public bool Exhausted { get; set; }
        public long StoppedAt { get; set; }
        public long LastMeasured { get; set; }
    }

    /// <summary>The measured requests a run may still make (<c>--sends</c>); unlimited without one.</summary>
    private sealed class Budget(long? limit)
    {
        private long _taken;

        /// <summary>True once every measured request the limit allows was taken.</summary>
        public bool Spent => limit is { } l && Interlocked.Read(ref _taken) >= l;

        public bool Take() => limit is not { } l || Interlocked.Increment(ref _taken) <= l;
    }
}
