using System.Diagnostics;
using System.Globalization;

namespace InMail.Domain.Tests.Simulation;

/// <summary>
/// Decision 007: a working set that evicts everything after every step, and so loads each member,
/// team, group and conversation from its document whenever a step touches it, ends in exactly the
/// state of a run that never left memory: same ledger, same lots, same ids, same messages.
/// </summary>
public sealed class WorkingSetSimulationTests(ITestOutputHelper output)
{
    private const int Steps = 1_500;

    public static TheoryData<int> Seeds => new(1, 4, 7, 11);

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Evicting_after_every_step_gives_the_state_of_a_run_that_never_evicts(int seed)
    {
        var clock = Stopwatch.StartNew();
        var inMemory = new Simulator(seed).Run(Steps);
        var evicting = new Simulator(seed, workingSet: true);
        var final = evicting.Run(Steps);
        output.WriteLine(evicting.Summary());
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.ElapsedMilliseconds} ms"));
        Assert.Null(Snapshotter.FirstDifference(inMemory, final));
        Assert.Equal(Snapshotter.Text(inMemory), Snapshotter.Text(final));
    }

    /// <summary>
    /// Issue 9: a member's document lists only their latest conversations; the rest are found in the source when every
    /// conversation is asked for (reports, outreach facts, pending refunds), and none is taken for absent. With one
    /// conversation per document every busy member is listed in part, and the run still ends in the state of one
    /// that never left memory.
    /// </summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Documents_that_list_one_conversation_each_give_the_state_of_a_run_that_never_evicts(int seed)
    {
        var inMemory = new Simulator(seed).Run(Steps);
        var evicting = new Simulator(seed, workingSet: true, conversationsInDocument: 1);
        var final = evicting.Run(Steps);
        output.WriteLine(evicting.Summary());
        Assert.Null(Snapshotter.FirstDifference(inMemory, final));
        Assert.Equal(Snapshotter.Text(inMemory), Snapshotter.Text(final));
    }
}
