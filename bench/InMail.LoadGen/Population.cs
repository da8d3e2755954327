using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace InMail.LoadGen;

/// <summary>
/// Who sends to whom, so that every request of a send run is an InMail the service accepts and
/// charges (SPEC §4 and §6), whatever order the clients' requests reach the server in:
/// <list type="bullet">
/// <item>Senders are on <c>recruiter-corporate</c> (paid InMail, 150 a day) with an operator bonus
/// of 100,000 credits, so they never run out. Recipients are free members nobody is connected to,
/// in no group, without Open Profile: the only path is a paid InMail.</item>
/// <item>A send run is cut into rounds of one InMail to each recipient. In global round g the
/// recipient j gets it from sender (j + g) mod S, so no pair ever repeats (the thread limit of 4
/// never comes near, and a recipient never writes back, which would make later sends free).</item>
/// <item>A recipient gets one InMail per round, so a run has at most 20 rounds (20 InMails per
/// recipient per 7 days); a sender sends ⌈R/S⌉ per round, at most 150 a run (the daily limit).
/// Between send runs the clock moves 7 days and an hour, so both windows start over.</item>
/// <item>A sender's active conversations (one per InMail sent) stay below 400, where the service
/// starts watching the inbox cap of 500: the rounds of all runs together are limited by that.</item>
/// </list>
/// </summary>
public sealed class Population
{
    public const string Plan = "recruiter-corporate";
    public const int RecipientWeeklyLimit = 20;   // SPEC §4: recipient-limit-reached
    public const int ActiveConversationsKept = 390; // below the projection's inbox-cap watch (400) and the cap (500)

    private static readonly string Subject = "A role on our platform team";
    private static readonly string Body =
        "Hello, I lead hiring for the platform team at a company building payments infrastructure. " +
        "Your work on distributed storage caught my eye, and we have an opening for a staff engineer " +
        "who would own our ledger service end to end. The team is small, remote-friendly, and ships " +
        "weekly. Would you be open to a short call next week to hear more? No pressure either way.";

    private readonly string[] _senderBearer;
    private readonly string[] _recipientIds;
    private long _nextSlot;
    private long _slotLimit;
    private long _firstRound;

    private Population(int senders, int recipients, int dailyLimit)
    {
        _senderBearer = new string[senders];
        _recipientIds = [.. Enumerable.Range(0, recipients).Select(RecipientId)];
        SendsPerSenderPerRound = (recipients + senders - 1) / senders;
        RoundsPerRun = Math.Min(RecipientWeeklyLimit, dailyLimit / SendsPerSenderPerRound);
        RoundsInAll = Math.Min(ActiveConversationsKept / SendsPerSenderPerRound, senders - 1);
    }

    public int Senders => _senderBearer.Length;

    public int Recipients => _recipientIds.Length;

    public int SendsPerSenderPerRound { get; }

    /// <summary>Rounds one run may use (the weekly recipient and daily sender limits).</summary>
    public int RoundsPerRun { get; }

    /// <summary>Rounds all runs together may use (the senders' inboxes).</summary>
    public int RoundsInAll { get; }

    /// <summary>Rounds used by the runs so far.</summary>
    public long RoundsUsed { get; private set; }

    /// <summary>What every id of the population starts with (<c>--prefix</c>).</summary>
    public static string Prefix { get; set; } = "load";

    public static string SenderId(int i) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}-s{i}");

    public static string RecipientId(int j) => string.Create(CultureInfo.InvariantCulture, $"{Prefix}-r{j}");

    /// <summary>Registers, subscribes and funds everyone, <paramref name="parallel"/> requests at a time.</summary>
    public static async Task<Population> CreateAsync(Api api, int senders, int recipients, int parallel, string operatorToken)
    {
        var plans = await api.GetAsync("api/v1/plans");
        var plan = plans["plans"]!.AsArray().FirstOrDefault(p => p!["id"]!.GetValue<string>() == Plan)
            ?? throw new InvalidOperationException($"the catalog has no {Plan} plan");
        var daily = plan["dailyInMailLimit"]!.GetValue<int>();
        var population = new Population(senders, recipients, daily);
        if (population.RoundsPerRun < 1 || population.RoundsInAll < 1)
        {
            throw new InvalidOperationException($"{recipients} recipients for {senders} senders is {population.SendsPerSenderPerRound} InMails per sender per round: "
                + $"more than the daily limit ({daily}) or the inbox allows. Use more senders.");
        }

        var clock = Stopwatch.StartNew();
        await ForEach(recipients, parallel, async j =>
            await api.MustPostAsync("api/v1/auth/register", new { member = RecipientId(j), name = $"Load Recipient {j}", password = "load-password-1" }, null, HttpStatusCode.Created));
        var registered = clock.Elapsed;
        await ForEach(senders, parallel, async i =>
        {
            var id = SenderId(i);
            var answer = await api.MustPostAsync("api/v1/auth/register", new { member = id, name = $"Load Sender {i}", password = "load-password-1" }, null, HttpStatusCode.Created);
            var token = answer!["accessToken"]!.GetValue<string>();
            await api.MustPostAsync($"api/v1/members/{id}/subscription", new { plan = Plan }, token, HttpStatusCode.Created);
            await api.MustPostAsync($"api/v1/operator/members/{id}/bonuses", new { credits = 100_000, days = 365, reason = "load test" }, operatorToken, HttpStatusCode.Created);
            population._senderBearer[i] = "Bearer " + token;
        });
        var requests = recipients + (3 * senders);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"setup: {recipients:N0} recipients registered in {registered.TotalSeconds:F1} s; {senders:N0} senders registered, subscribed to {Plan} and granted 100,000 bonus credits; "
            + $"{requests:N0} requests in {clock.Elapsed.TotalSeconds:F1} s ({requests / clock.Elapsed.TotalSeconds:N0}/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"setup: {population.SendsPerSenderPerRound} InMails per sender per round; a run may use {population.RoundsPerRun} rounds ({(long)population.RoundsPerRun * recipients:N0} sends), all runs {population.RoundsInAll} rounds"));
        return population;
    }

    /// <summary>Opens a run: at most <see cref="RoundsPerRun"/> rounds, and no more than all runs may still use.</summary>
    public void BeginRun()
    {
        var rounds = Math.Min(RoundsPerRun, RoundsInAll - RoundsUsed);
        _firstRound = RoundsUsed;
        _nextSlot = 0;
        _slotLimit = Math.Max(0, rounds) * (long)Recipients;
    }

    /// <summary>Closes the run and books the rounds it started (a round begun is a round used).</summary>
    public long EndRun()
    {
        var used = Math.Min(Interlocked.Read(ref _nextSlot), _slotLimit);
        RoundsUsed += (used + Recipients - 1) / Recipients;
        return used;
    }

    /// <summary>The next InMail of the run, or false when the run has used every pair it may.</summary>
    public bool TryNext(out string bearer, out string to)
    {
        var slot = Interlocked.Increment(ref _nextSlot) - 1;
        if (slot >= _slotLimit)
        {
            bearer = to = "";
            return false;
        }
        var round = _firstRound + (slot / Recipients);
        var j = (int)(slot % Recipients);
        var i = (int)((j + round) % Senders);
        bearer = _senderBearer[i];
        to = _recipientIds[j];
        return true;
    }

    public static string InMailSubject => Subject;

    public static string InMailBody => Body;

    private static async Task ForEach(int count, int parallel, Func<int, Task> work)
    {
        var next = -1;
        var workers = Enumerable.Range(0, Math.Min(parallel, count)).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                await work(i);
            }
        });
        await Task.WhenAll(workers);
    }
}
