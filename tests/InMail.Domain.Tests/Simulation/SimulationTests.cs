using System.Diagnostics;
using System.Globalization;

namespace InMail.Domain.Tests.Simulation;

/// <summary>
/// Seeded, model-based simulation of the engine (see <see cref="Simulator"/>): each seed runs
/// <see cref="StepsPerSeed"/> steps with every invariant checked after every step. A failure
/// prints the seed, the step and its description, the steps before it, and the command that
/// replays it, e.g.
/// <c>INMAIL_SIM_SEED=7 INMAIL_SIM_STEPS=1234 INMAIL_SIM_TRACE=1 dotnet test tests/InMail.Domain.Tests --filter "FullyQualifiedName~Simulation.SimulationTests.Replay_from_environment"</c>.
/// </summary>
public sealed class SimulationTests(ITestOutputHelper output)
{
    public const int StepsPerSeed = 10_000;

    public static TheoryData<int> Seeds => new(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

    /// <summary>What every seed reaches in <see cref="StepsPerSeed"/> steps, so no seed runs vacuously.</summary>
    internal static readonly string[] AlwaysReached =
    [
        // the ledger
        "grant", "grant-team", "spend", "spend-pool", "refund-into-lot", "refund-lot", "expire", "forfeit", "purchase", "bonus",
        // the ends of refund windows, exactly and just after
        "refund-at-exact-window-end", "respond-exactly-at-window-end", "respond-just-after-window-end",
        // steps
        "send ok", "send thread-limit-reached", "send-retry ok", "send-retry idempotency-conflict", "respond ok", "report-spam ok",
        "subscribe ok", "subscribe billing-not-offered", "change-plan ok", "cancel ok", "team ok", "team-add ok", "team-remove ok",
        "seat-cap ok", "buy ok", "time ok", "jump+send ok", "jump+respond ok",
    ];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_invariant_holds_after_every_step(int seed)
    {
        var clock = Stopwatch.StartNew();
        var simulator = new Simulator(seed);
        simulator.Run(StepsPerSeed);
        output.WriteLine(simulator.Summary());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.ElapsedMilliseconds} ms"));
        foreach (var what in AlwaysReached)
        {
            Assert.True(Reached(simulator, what), $"seed {seed} never reached '{what}' in {StepsPerSeed} steps");
        }
    }

    /// <summary>
    /// Replays one seed: set INMAIL_SIM_SEED (and optionally INMAIL_SIM_STEPS, default 10,000, and
    /// INMAIL_SIM_TRACE=1 to print every step). Without INMAIL_SIM_SEED it runs one more seed, so the
    /// test is never skipped and always checks something.
    /// </summary>
    [Fact]
    public void Replay_from_environment()
    {
        var seedText = Environment.GetEnvironmentVariable(Simulator.SeedVariable);
        var seed = string.IsNullOrWhiteSpace(seedText) ? 13 : int.Parse(seedText, CultureInfo.InvariantCulture);
        var stepsText = Environment.GetEnvironmentVariable(Simulator.StepsVariable);
        var steps = string.IsNullOrWhiteSpace(stepsText) ? StepsPerSeed : int.Parse(stepsText, CultureInfo.InvariantCulture);
        var trace = Environment.GetEnvironmentVariable(Simulator.TraceVariable) is "1" or "true";
        var simulator = new Simulator(seed, trace ? output.WriteLine : null);
        try
        {
            simulator.Run(steps);
        }
        finally
        {
            output.WriteLine(simulator.Summary());
        }
    }

    internal static bool Reached(Simulator simulator, string what) =>
        simulator.Seen.GetValueOrDefault(what) > 0 || simulator.Outcomes.GetValueOrDefault(what) > 0;
}

/// <summary>
/// One full-length run (seed <see cref="Seed"/>), shared by the facts of this class: the same seed
/// gives the same final state, and the run reaches the rarer refusals too. A separate class, so it
/// runs beside the seeds of <see cref="SimulationTests"/>.
/// </summary>
public sealed class SimulationRunTests(ITestOutputHelper output)
{
    // A seed whose run reaches every rare refusal below (2026 did until outreach steps joined the mix
    // and moved every later draw; 2026–2032 and 2034–2035 each miss one of them).
    private const int Seed = 2033;

    private static readonly Lazy<(Simulator Simulator, List<string[]> Final)> First = new(() =>
    {
        var simulator = new Simulator(Seed);
        var final = simulator.Run(SimulationTests.StepsPerSeed);
        return (simulator, final);
    });

    [Fact]
    public void The_same_seed_always_gives_the_same_final_state()
    {
        var (_, first) = First.Value;
        var second = new Simulator(Seed).Run(SimulationTests.StepsPerSeed);
        Assert.Null(Snapshotter.FirstDifference(first, second));
        Assert.Equal(Snapshotter.Text(first), Snapshotter.Text(second));

        // And a different seed is a different run (so the comparison above is not vacuous).
        const int steps = 500;
        var a = new Simulator(Seed).Run(steps);
        var b = new Simulator(Seed + 1).Run(steps);
        Assert.NotEqual(Snapshotter.Text(a), Snapshotter.Text(b));
    }

    [Fact]
    public void A_run_reaches_every_refusal_that_matters()
    {
        var (simulator, _) = First.Value;
        output.WriteLine(simulator.Summary());
        string[] reached =
        [
            .. SimulationTests.AlwaysReached,
            "grant-clipped", "send no-credits", "send seat-cap-reached", "send daily-limit-reached", "send recipient-limit-reached",
            "send sender-restricted", "send inmail-requires-paid-plan", "send recipient-unavailable", "send blocked",
            "send subject-required", "send body-too-long", "send invalid-characters", "buy purchase-not-allowed",
            "settings open-profile-requires-premium", "subscribe team-seat-conflict", "team-add team-seat-conflict",
            // SPEC §10: outreach and the due work it leaves
            "template ok", "template invalid-template", "schedule ok", "schedule unknown-template", "cancel-schedule ok", "sequence ok",
            "sequence invalid-sequence", "enroll ok", "enroll already-enrolled", "unenroll ok",
            "schedule-sent", "schedule-refused", "step-active", "step-finished", "step-stopped responded",
            // SPEC §11: the inbox workspace
            "label ok", "label invalid-input", "snooze ok", "snooze invalid-input", "remind ok", "timer-snooze", "timer-reminder",
        ];
        var missed = reached.Where(what => !SimulationTests.Reached(simulator, what)).ToList();
        Assert.True(missed.Count == 0, $"seed {Seed} never reached {string.Join(", ", missed.Select(m => $"'{m}'"))} in {SimulationTests.StepsPerSeed} steps");
    }
}
