using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using InMail.Domain.Catalog;
using InMail.Domain.Commands;
using InMail.Domain.Inspection;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.WorkingSet;

/// <summary>
/// Documents are written short (instants as numbers, inbox entries and watched refunds as arrays), and documents written
/// before that, which every existing database holds, still load exactly.
/// </summary>
public sealed partial class DocumentFormTests
{
    private static readonly DateTimeOffset End = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    // A JSON string that is an instant in the "O" form (notifications' texts mention dates in words, which is fine).
    [GeneratedRegex(@"""\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}[+-]\d\d:\d\d""")]
    private static partial Regex InstantText();

    [Fact]
    public void Documents_written_before_instants_were_numbers_load_and_are_rewritten_short_with_nothing_lost()
    {
        // `inmail generate --members 10 --messages 160 --years 1 --cohort-size 10 --seed 3 --end 2026-11-01T00:00:00Z`,
        // by the build before this form (2d8909f): every aggregate's document as it was stored.
        var old = new MemoryStateSource();
        var oldBytes = 0L;
        using (var fixture = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "WorkingSet", "documents-before-numbers.json"))))
        {
            foreach (var document in fixture.RootElement.EnumerateObject())
            {
                var bytes = Encoding.UTF8.GetBytes(document.Value.GetRawText());
                oldBytes += bytes.Length;
                old.Put(AggregateKey.Parse(document.Name), bytes);
            }
        }
        var first = Load(old);
        // What the old form held was read: inboxes, watched refunds, rolling windows, lots.
        Assert.Equal(10, first.State.Members.Count());
        Assert.True(first.State.Members.Sum(m => first.State.ActiveConversationCount(m.Id)) > 40);
        Assert.Contains(first.State.Members, m => m.RefundWatch.Count > 0);
        Assert.Contains(first.State.Members, m => m.InMailsSent.Instants.Any());
        Assert.Contains(first.State.Members, m => m.Wallet.LiveLots.Any());
        var before = StateJson.Write(first, End, includeActivity: true);

        var rewritten = new MemoryStateSource();
        rewritten.Save(first.State);
        var newBytes = rewritten.Keys.Sum(k => (long)rewritten.Read(k)!.Length);
        foreach (var key in rewritten.Keys)
        {
            var text = Encoding.UTF8.GetString(rewritten.Read(key)!);
            Assert.False(InstantText().IsMatch(text), $"{key} still writes an instant as text: {text}");
        }
        Assert.True(newBytes < oldBytes * 0.9, $"{newBytes:N0} bytes rewritten from {oldBytes:N0}");
        // The lists that grow with a member's sends, rewritten on each of them, are about half as long as they were.
        var oldLists = GrowingLists(old);
        var newLists = GrowingLists(rewritten);
        Assert.True(newLists < oldLists * 0.6, $"members' growing lists: {newLists:N0} bytes rewritten from {oldLists:N0}");

        Assert.Equal(before, StateJson.Write(Load(rewritten), End, includeActivity: true));
    }

    [Fact]
    public void An_instant_given_with_an_offset_keeps_its_offset_through_a_document()
    {
        var source = new MemoryStateSource();
        var engine = new InMailEngine(PlanCatalog.Default);
        engine.State.Attach(source, PlanCatalog.Default);
        var paris = new DateTimeOffset(2026, 6, 1, 9, 30, 0, TimeSpan.FromHours(2));
        Assert.True(CommandJson.Read("""{"do":"member","id":"ana","name":"Ana"}""").Apply(engine, paris).IsSuccess);
        Assert.True(CommandJson.Read("""{"do":"member","id":"ben","name":"Ben"}""").Apply(engine, paris.ToUniversalTime()).IsSuccess);
        source.Save(engine.State);

        Assert.Contains("2026-06-01T09:30:00.0000000+02:00", Encoding.UTF8.GetString(source.Read(AggregateKey.ForMember("ana"))!), StringComparison.Ordinal);
        Assert.DoesNotContain("2026-06-01", Encoding.UTF8.GetString(source.Read(AggregateKey.ForMember("ben"))!), StringComparison.Ordinal);
        var reloaded = Load(source);
        Assert.Equal(TimeSpan.FromHours(2), reloaded.State.FindMember("ana")!.JoinedAt.Offset);
        Assert.Equal(TimeSpan.Zero, reloaded.State.FindMember("ben")!.JoinedAt.Offset);
        Assert.Equal(paris, reloaded.State.FindMember("ben")!.JoinedAt);
        Assert.Equal(StateJson.Write(engine, paris, includeActivity: true), StateJson.Write(reloaded, paris, includeActivity: true));
    }

    private static long GrowingLists(MemoryStateSource source)
    {
        var bytes = 0L;
        foreach (var key in source.Keys.Where(k => k.Kind == AggregateKind.Member))
        {
            using var document = JsonDocument.Parse(source.Read(key));
            foreach (var list in new[] { "inmailsSent", "inmailsReceived", "invitationsSent", "inbox", "refundWatch" })
            {
                if (document.RootElement.TryGetProperty(list, out var value))
                {
                    bytes += value.GetRawText().Length;
                }
            }
        }
        return bytes;
    }

    private static InMailEngine Load(MemoryStateSource source)
    {
        var engine = new InMailEngine(PlanCatalog.Default);
        engine.State.Attach(source, PlanCatalog.Default);
        source.LoadAll(engine.State);
        return engine;
    }
}
