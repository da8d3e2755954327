using InMail.Domain.Outreach;
using InMail.Storage;

namespace InMail.Integration.Tests.Storage;

/// <summary>
/// The Results page's facts are kept between reads (decision 016). Each change to what a sender's InMails say — a
/// response and its refund, a read, a mark, a new recipient, a recipient's new time zone, a late reply — must show in
/// the next read exactly as the engine computes it from the conversations in memory.
/// </summary>
public abstract partial class CommandStoreContract
{
    [Theory]
    [InlineData(500_000)] // kept: each read re-reads only the pairs that changed
    [InlineData(3)] // fewer than the sender's facts: read whole each time, never kept
    [InlineData(0)] // keeping nothing
    public async Task The_results_kept_between_reads_follow_every_change_to_a_senders_inmails(int cacheFacts)
    {
        Options = Options with { OutreachCacheFacts = cacheFacts };
        await using var store = Open();
        await Ok(store, """{"do":"member","id":"ann","name":"Ann"}""");
        await Ok(store, """{"do":"subscribe","member":"ann","plan":"premium-business","billing":"monthly"}""");
        foreach (var r in new[] { "bo", "cy", "di", "ed" })
        {
            await Ok(store, $$"""{"do":"member","id":"{{r}}","name":"{{r}}"}""");
        }
        await Ok(store, """{"do":"profile","member":"cy","name":"Cy","timezone":"Pacific/Kiritimati"}""");
        await Ok(store, """{"do":"send","id":"ann-bo-1","from":"ann","to":"bo","subject":"Hi","body":"Hello Bo"}""");
        await Ok(store, """{"do":"send","id":"ann-cy-1","from":"ann","to":"cy","subject":"Hi","body":"Hello Cy, a longer note about the role"}""");
        var first = await ResultsMatchTheEngine(store, "ann");
        Assert.Equal((2, 0), (first.Report.All.Delivered, first.Report.All.Responded));

        Clock.Advance(TimeSpan.FromHours(3));
        await Ok(store, """{"do":"respond","member":"bo","message":"ann-bo-1","kind":"reply","body":"Sure"}""");
        var replied = await ResultsMatchTheEngine(store, "ann");
        Assert.Equal((1, 1), (replied.Report.All.Responded, replied.Report.All.CreditsRefunded));

        await Ok(store, """{"do":"read","member":"cy","with":"ann"}""");
        Assert.Equal(2, (await ResultsMatchTheEngine(store, "ann")).Report.All.Opened);

        await Ok(store, """{"do":"mark","member":"ann","message":"ann-cy-1","outcome":"positive"}""");
        Assert.Equal(1, (await ResultsMatchTheEngine(store, "ann")).Report.All.Positive);

        // Monday 5 January 09:00 UTC is Monday 23:00 in Kiritimati; in Pago Pago it is Sunday 22:00.
        Assert.Contains((DayOfWeek.Monday, 23), SentCells(await ResultsMatchTheEngine(store, "ann")));
        await Ok(store, """{"do":"profile","member":"cy","name":"Cy","timezone":"Pacific/Pago_Pago"}""");
        var moved = SentCells(await ResultsMatchTheEngine(store, "ann"));
        Assert.Contains((DayOfWeek.Sunday, 22), moved);
        Assert.DoesNotContain((DayOfWeek.Monday, 23), moved);

        Clock.Advance(TimeSpan.FromDays(2));
        await Ok(store, """{"do":"send","id":"ann-di-1","from":"ann","to":"di","subject":"Hi","body":"Hello Di"}""");
        await Ok(store, """{"do":"send","id":"ann-ed-1","from":"ann","to":"ed","subject":"Hi","body":"Hello Ed"}""");
        Assert.Equal(4, (await ResultsMatchTheEngine(store, "ann")).Report.All.Delivered);

        Clock.Advance(TimeSpan.FromDays(91));
        await Ok(store, """{"do":"respond","member":"di","message":"ann-di-1","kind":"reply","body":"Late, sorry"}""");
        var late = await ResultsMatchTheEngine(store, "ann");
        Assert.Equal((2, 1), (late.Report.All.Responded, late.Report.All.CreditsRefunded));

        // A period is cut from what is kept: the two days after the first sends hold only Di's and Ed's.
        var period = (await store.OutreachAsync("ann", Start.AddDays(1), Start.AddDays(3), TestContext.Current.CancellationToken)).Value;
        Assert.Equal((2, 1), (period.Report.All.Delivered, period.Report.All.Responded));
    }

    protected static Task<OutreachHistory> ResultsMatchTheEngine(CommandStore store, string member) => OutreachChecks.MatchTheEngineAsync(store, member);

    private static List<(DayOfWeek, int)> SentCells(OutreachHistory history) =>
        [.. history.Charts.SendTimes.Where(c => c.Delivered > 0).Select(c => (c.Day, c.Hour))];
}

/// <summary>The Results as the store reads them from the tables, checked against the engine's own from the conversations in memory.</summary>
internal static class OutreachChecks
{
    /// <summary>Reads <paramref name="member"/>'s results from the tables (and what is kept of them) and asserts the engine computes the same report and series.</summary>
    public static async Task<OutreachHistory> MatchTheEngineAsync(CommandStore store, string member)
    {
        ArgumentNullException.ThrowIfNull(store);
        var ct = TestContext.Current.CancellationToken;
        var fromTables = (await store.OutreachAsync(member, null, null, ct)).Value;
        var expired = await store.CreditExpiriesAsync(member, null, null, ct);
        var (report, charts) = await store.ReadWholeAsync((e, now) =>
            (e.Outreach(now, member).Value, OutreachCharts.Of(e.OutreachFacts(member), expired, e.Catalog.Policy.RefundWindowDays)), ct);
        Assert.Equal(report, fromTables.Report);
        Assert.Equal(charts.Weekly, fromTables.Charts.Weekly);
        Assert.Equal(charts.SendTimes, fromTables.Charts.SendTimes);
        Assert.Equal(charts.BodyLengths, fromTables.Charts.BodyLengths);
        Assert.Equal(charts.ReplyTimes, fromTables.Charts.ReplyTimes);
        Assert.Equal(charts.Funnel, fromTables.Charts.Funnel);
        Assert.Equal(charts.Credits, fromTables.Charts.Credits);
        return fromTables;
    }
}

public sealed partial class PostgresCommandStoreTests
{
    [Fact]
    public async Task Results_kept_by_one_server_follow_what_another_server_changed()
    {
        await using var first = Open();
        await Ok(first, """{"do":"member","id":"ann","name":"Ann"}""");
        await Ok(first, """{"do":"member","id":"bo","name":"Bo"}""");
        await Ok(first, """{"do":"subscribe","member":"ann","plan":"premium-business","billing":"monthly"}""");
        await Ok(first, """{"do":"send","id":"ann-bo-1","from":"ann","to":"bo","subject":"Hi","body":"Hello Bo"}""");
        await using var second = Open(); // another server process on the same database
        Assert.Equal(0, (await ResultsMatchTheEngine(second, "ann")).Report.All.Responded);

        Clock.Advance(TimeSpan.FromHours(1));
        await Ok(first, """{"do":"respond","member":"bo","message":"ann-bo-1","kind":"accept"}""");
        await Ok(first, """{"do":"profile","member":"bo","name":"Bo","timezone":"Asia/Tokyo"}""");
        var seen = await ResultsMatchTheEngine(second, "ann");
        Assert.Equal((1, 1), (seen.Report.All.Responded, seen.Report.All.Positive));
        Assert.Contains(seen.Charts.SendTimes, c => c.Delivered == 1 && c.Day == DayOfWeek.Monday && c.Hour == 18); // 09:00 UTC is 18:00 in Tokyo
    }
}
