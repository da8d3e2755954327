using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Benchmarks;

/// <summary>
/// Builds the systems the benchmarks run on. Senders are Recruiter Corporate subscribers holding
/// 10 live lots (the allowance, four bought packs and five bonuses); recipients are strangers on
/// the free plan (no connection, no Open Profile, no shared group), so every send is a paid InMail.
/// </summary>
internal static class World
{
    /// <summary>When the senders subscribe, buy and get their bonuses.</summary>
    public static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    /// <summary>When the measured sends begin: a day after the lots were set up.</summary>
    public static readonly DateTimeOffset SendingStarts = Start.AddDays(1);

    public const string Subject = "Staff engineer role at Northwind";

    /// <summary>A typical InMail body: about 350 characters, under the 400 the seeds say do best.</summary>
    public const string Body =
        "Hi, I came across your profile and your work on distributed storage caught my eye. " +
        "We are building a small platform team at Northwind and I think the problems we have " +
        "would interest you: multi-region replication, a ledger that must never lose a cent, " +
        "and an on-call rota that sleeps at night. Would you be open to a 20-minute call next " +
        "week? Happy to share the details first.";

    public const string ReplyBody = "Thanks for reaching out. Happy to talk next week, Tuesday works.";

    /// <summary>The lots each sender holds before the first send.</summary>
    public const int LiveLots = 10;

    /// <summary>The default catalog with the daily InMail limits raised (bench-catalog.json).</summary>
    public static PlanCatalog Catalog { get; } = LoadCatalog();

    public static string Sender(int i) => $"sender-{i}";

    public static string Recipient(int i) => $"stranger-{i}";

    /// <summary>A system with <paramref name="senders"/> senders holding 10 live lots each and <paramref name="strangers"/> strangers.</summary>
    public static InMailEngine Build(int senders, int strangers, string plan = "recruiter-corporate")
    {
        var engine = new InMailEngine(Catalog);
        for (var s = 0; s < senders; s++)
        {
            var id = Sender(s);
            Ok(engine.AddMember(Start, id, new Profile($"Sender {s}", "Technical recruiter", "Northwind")));
            Ok(engine.Subscribe(Start, id, plan, BillingPeriod.Monthly));
            foreach (var pack in (ReadOnlySpan<int>)[10, 25, 50, 100])
            {
                Ok(engine.Buy(Start, id, pack));
            }
            // The bonus that expires first is spent first and holds enough for every measured send,
            // so all ten lots stay live through an iteration.
            Ok(engine.GrantBonus(Start, id, 100_000, 30, "launch promotion"));
            Ok(engine.GrantBonus(Start, id, 100, 60, "referral"));
            Ok(engine.GrantBonus(Start, id, 100, 120, "referral"));
            Ok(engine.GrantBonus(Start, id, 100, 180, "referral"));
            Ok(engine.GrantBonus(Start, id, 100, 365, "loyalty"));
            var lots = engine.State.FindMember(id)!.Wallet.LiveLots.Count;
            if (lots != LiveLots)
            {
                throw new InvalidOperationException($"{id} holds {lots} live lots, not {LiveLots}");
            }
        }
        for (var r = 0; r < strangers; r++)
        {
            Ok(engine.AddMember(Start, Recipient(r), new Profile($"Stranger {r}", "Software engineer")));
        }
        return engine;
    }

    /// <summary>Sends an InMail and checks it was a paid one that took a credit.</summary>
    public static Message SendPaid(InMailEngine engine, DateTimeOffset now, SendRequest request)
    {
        var sent = Ok(engine.Send(now, request));
        if (sent.Quote.Path != SendPath.InMail || sent.Message.Cost != 1)
        {
            throw new InvalidOperationException($"expected a paid InMail, got {sent.Quote.Path} costing {sent.Message.Cost}");
        }
        return sent.Message;
    }

    public static T Ok<T>(Outcome<T> outcome) =>
        outcome.IsSuccess ? outcome.Value : throw new InvalidOperationException($"setup step refused: {outcome.Refusal}");

    public static int Balance(InMailEngine engine, string member) => engine.State.FindMember(member)!.Wallet.Balance;

    private static PlanCatalog LoadCatalog()
    {
        using var stream = typeof(World).Assembly.GetManifestResourceStream("InMail.Benchmarks.bench-catalog.json")
            ?? throw new InvalidOperationException("bench-catalog.json is not embedded");
        using var reader = new StreamReader(stream);
        return PlanCatalog.FromJson(reader.ReadToEnd());
    }
}
