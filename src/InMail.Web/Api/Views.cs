using InMail.Domain;
using InMail.Domain.Catalog;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;

namespace InMail.Web.Api;

// What the API returns. Each view is built from the engine while the caller holds it (a read, or the
// writer presenting a result), so a later command can never show half-changed objects.

public sealed record PlanView(string Id, string Name, bool Paid, bool Team, long? MonthlyPriceCents, long? AnnualPricePerMonthCents,
    int CreditsPerCycle, int Cap, int DailyInMailLimit);

public sealed record PackView(int Credits, long PriceCents);

public sealed record CatalogView(IReadOnlyList<PlanView> Plans, IReadOnlyList<PackView> Packs, int AllowanceLifetimeDays, int PackLifetimeMonths, int RefundWindowDays);

public sealed record MemberView(string Id, string Name, string? Headline, string? Company, string? TimeZone, bool OpenProfile, bool AcceptsInMail,
    bool? Connected, IReadOnlyList<string>? SharedGroups, bool? BlockedByYou);

public sealed record SettingsView(bool OpenProfile, bool InMail, bool GroupMessages, string Plan);

public sealed record AccountView(string Member, string Name, string Role, string Plan, string? Team, bool TeamAdmin);

public sealed record TokenView(string AccessToken, string TokenType, DateTimeOffset ExpiresAt, string Member, string Role);

public sealed record InvitationView(string From, string To, string? Note, DateTimeOffset SentAt);

public sealed record InvitationsView(IReadOnlyList<InvitationView> Received, IReadOnlyList<InvitationView> Sent);

public sealed record GroupView(string Id, string Name, int Members, bool Joined);

public sealed record SubscriptionView(string Plan, string Billing, DateTimeOffset Anchor, DateTimeOffset NextGrantAt, DateTimeOffset? EndsAt, bool ViaTeam);

public sealed record TeamView(string Id, string Plan, string Billing, string Admin, IReadOnlyList<string> Seats, int? SeatCap,
    DateTimeOffset NextGrantAt, DateTimeOffset? EndsAt, DateTimeOffset? EndedAt, int PoolCredits, IReadOnlyList<LotView> PoolLots,
    IReadOnlyList<SeatOfferView> Offers);

/// <summary>A seat offered and not yet answered: on a team, who it is for; in a member's list, which team offers it.</summary>
public sealed record SeatOfferView(string Team, string Plan, string Member, string Admin, DateTimeOffset OfferedAt);

public sealed record LotView(string Wallet, long Number, string Source, int Granted, int Remaining, DateTimeOffset GrantedAt, DateTimeOffset Expires);

public sealed record MayComeBackView(string MessageId, string To, DateTimeOffset SentAt, DateTimeOffset Deadline);

public sealed record CreditsView(DateTimeOffset At, string Plan, int Usable, int Frozen, IReadOnlyList<LotView> Lots, IReadOnlyList<MayComeBackView> MayComeBack,
    int? SeatCapLeft, DateTimeOffset? NextExpiry);

public sealed record LedgerEntryView(string Wallet, long Number, DateTimeOffset At, string Kind, string Source, long Lot, int Delta, int Balance,
    DateTimeOffset LotExpires, string? MessageId, string? Member, string? Note);

public sealed record BalanceView(DateTimeOffset AsOf, int Balance, IReadOnlyList<LedgerEntryView> Entries);

public sealed record QuoteView(string Path, int Cost, int? GroupMessagesLeft, int? CreditsAvailable, LotView? ChargedLot);

public sealed record MessageView(string Id, string From, string To, string Path, string? Subject, string Body, DateTimeOffset SentAt, int Cost,
    DateTimeOffset? ReadAt, string? Response, DateTimeOffset? RespondedAt, DateTimeOffset? RefundedAt, string? RespondsWith, bool ReportedAsSpam,
    IReadOnlyList<AttachmentView> Attachments);

/// <summary>A file a message carries (SPEC §11): its name, size in bytes, the type its bytes showed, and where the two members download it.</summary>
public sealed record AttachmentView(string Id, string Name, long Size, string Type, string Href);

/// <summary>An uploaded file, ready to be named by a send's <c>attachments</c>.</summary>
public sealed record UploadView(string Id, string Name, long Size, string Type, DateTimeOffset UploadedAt, string Href);

/// <summary>
/// A message sent: the message, the quote it was sent under (as it stood before the send: <c>creditsAvailable</c> counts the
/// credit this send spent), and <c>creditsLeft</c>, the credits the sender can still spend after it, as the Compose page says.
/// </summary>
public sealed record SentView(MessageView Message, QuoteView Quote, int CreditsLeft);

/// <summary>The sender's mark on an InMail (<c>positive</c>, <c>meeting-booked</c>, or <c>none</c>). Only the sender sees it.</summary>
public sealed record OutcomeView(string Message, string Outcome);

/// <summary>Time to first reply in seconds: median (mean of the two middle ones for an even count) and nearest-rank 90th percentile.</summary>
public sealed record ReplyTimesView(int Count, double? MedianSeconds, double? Percentile90Seconds);

public sealed record OutreachMeasuresView(int Delivered, int Opened, int Responded, int Accepted, int Positive, int MeetingsBooked,
    double? OpenRate, double? ReplyRate, double? PositiveRate, double? MeetingRate, ReplyTimesView TimeToFirstReply,
    int CreditsSpent, int CreditsRefunded, int CreditsNet, long? CostPerReplyCents);

/// <summary>What one credit costs the member: <c>priceCents</c> buys <c>credits</c>, from a plan id or the pack price.</summary>
public sealed record CreditPriceView(string Basis, long PriceCents, int Credits, long PerCreditCents);

/// <summary>The seed's figures to show beside the member's own (SPEC §9).</summary>
public sealed record OutreachBenchmarksView(double InMailReplyRateLow, double InMailReplyRateHigh, double ColdEmailReplyRate, int ShortBodyUnderCharacters,
    string BestDays, string BestHours);

public sealed record OutreachView(string Member, DateTimeOffset? From, DateTimeOffset? To, CreditPriceView CreditPrice, OutreachMeasuresView All,
    OutreachMeasuresView InMail, OutreachMeasuresView OpenProfile, OutreachMeasuresView ShortBody, OutreachMeasuresView LongBody,
    OutreachBenchmarksView Benchmarks);

public sealed record RespondedView(MessageView Response, MessageView InMail, int CreditsRefunded);

public sealed record ConversationView(MemberBrief With, DateTimeOffset LastActivityAt, int Unread, bool Archived, bool HasInMail, int Messages, MessageView? Last,
    IReadOnlyList<string> Labels, DateTimeOffset? SnoozedUntil = null, DateTimeOffset? RemindAt = null, bool MarkedUnread = false);

/// <summary>A notification: its kind, when its cause fell due, what it is about, a sentence, and when it was read.</summary>
public sealed record NotificationView(long Id, string Kind, DateTimeOffset At, string? About, string Text, DateTimeOffset? ReadAt);

public sealed record NotificationPage(int Unread, IReadOnlyList<NotificationView> Items);

/// <summary>What a member has not read yet: messages and the conversations holding them (the inbox, not the archive), and notifications.</summary>
public sealed record CountsView(int UnreadMessages, int UnreadConversations, int UnreadNotifications);

/// <summary>One of a member's inbox labels.</summary>
public sealed record LabelView(string Name);

public sealed record ConversationPage(IReadOnlyList<ConversationView> Conversations, int Total, int Unread, string? Next = null);

public sealed record ThreadView(MemberBrief With, bool Archived, IReadOnlyList<MessageView> Messages);

public sealed record MemberBrief(string Id, string Name, string? Headline);

/// <summary>One of a member's templates.</summary>
public sealed record TemplateView(string Id, string? Subject, string Body, DateTimeOffset SavedAt);

/// <summary>A scheduled send: what it will send, when (and in the recipient's time), and once it ran, its message or refusal.</summary>
public sealed record ScheduleView(string Id, string To, string? Subject, string? Body, string? Template, DateTimeOffset DueAt, string DueInRecipientTime,
    bool BestWindow, string Status, DateTimeOffset CreatedAt, DateTimeOffset? EndedAt, string? MessageId, string? Code, string? Reason);

/// <summary>One piece of the coach's advice: its code, what to change, and the seed advice behind it.</summary>
public sealed record CoachFindingView(string Code, string Advice, string Source);

/// <summary>The draft as the coach read it (rendered for the recipient) and its findings in SPEC §10's order.</summary>
public sealed record CoachView(string? Subject, string Body, List<CoachFindingView> Findings);

public sealed record ClockView(DateTimeOffset Now, TimeSpan Offset, string Mode);

/// <summary>What <c>/health</c> answers: 200 with "ok" while the database can be written, 503 with "failing" otherwise.</summary>
/// <param name="Status">"ok" or "failing".</param>
/// <param name="Database">"sqlite" or "postgres".</param>
/// <param name="LastSeq">The highest command sequence number this process has seen.</param>
/// <param name="Now">The service's clock.</param>
/// <param name="ClaimConflicts">Decision 017: how many batches this process ran again because another server had changed what they wrote first (0 on SQLite).</param>
public sealed record HealthView(string Status, string Database, long LastSeq, DateTimeOffset Now, long ClaimConflicts);

public sealed record ReadView(int Marked);

public sealed record CancelledView(DateTimeOffset EndsAt);

internal static class View
{
    public static PlanView Of(Plan p) =>
        new(p.Id, p.Name, p.Paid, p.Team, p.Monthly?.PricePerMonthCents, p.Annual?.PricePerMonthCents, p.CreditsPerCycle, p.Cap, p.DailyInMailLimit);

    public static MemberBrief Brief(Member m) => new(m.Id, m.Profile.Name, m.Profile.Headline);

    public static string Wallet(WalletId id) => id.ToString();

    public static LotView Of(Lot l) => new(Wallet(l.Wallet), l.Id, l.Source.ToName(), l.Granted, l.Remaining, l.GrantedAt, l.Expires);

    public static MessageView Of(Message m) => new(m.Id, m.From, m.To, m.Path.ToName(), m.Subject, m.Body, m.SentAt, m.Cost, m.ReadAt,
        m.Response?.ToName(), m.RespondedAt, m.RefundedAt, m.RespondsWith?.ToName(), m.ReportedSpamAt is not null,
        [.. m.Attachments.Select(a => new AttachmentView(a.Id!, a.Name, a.Size, a.Type, FileHref(m.Id, a.Id!)))]);

    /// <summary>Where the two members of a conversation download one of a message's files.</summary>
    public static string FileHref(string message, string file) => $"/api/v1/messages/{Uri.EscapeDataString(message)}/attachments/{Uri.EscapeDataString(file)}";

    public static ScheduleView Of(Domain.Outreach.ScheduledSend x, string? recipientTimeZone)
    {
        ArgumentNullException.ThrowIfNull(x);
        return new(x.Id, x.Draft.To, x.Draft.Subject, x.Draft.Body, x.Draft.Template, x.DueAt,
            InZone(x.DueAt, recipientTimeZone), x.BestWindow, Domain.Outreach.ScheduleNames.ToName(x.Status),
            x.CreatedAt, x.EndedAt, x.MessageId, x.Code, x.Reason);
    }

    /// <summary>An instant as the wall clock of a time zone shows it, with the zone: "Tuesday 2026-03-03 07:00 (Europe/Paris)".</summary>
    public static string InZone(DateTimeOffset at, string? timeZone)
    {
        var zone = Domain.Outreach.BestWindow.ZoneOf(timeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{local:dddd yyyy-MM-dd HH:mm} ({(zone == TimeZoneInfo.Utc ? "UTC" : zone.Id)})");
    }

    public static TemplateView Of(Domain.Outreach.MessageTemplate t) => new(t.Id, t.Subject, t.Body, t.SavedAt);

    public static CoachView Of(Domain.Outreach.CoachReport r) => new(r.Subject, r.Body, r.Findings.Select(f => new CoachFindingView(f.Code, f.Advice, f.Source)).ToList());

    public static QuoteView Of(Quote q) => new(q.Path.ToName(), q.Cost, q.GroupMessagesLeft, q.CreditsAvailable, q.ChargedLot is null ? null : Of(q.ChargedLot));

    public static SentView Of(Sent s, int creditsLeft) => new(Of(s.Message), Of(s.Quote), creditsLeft);

    public static OutcomeView OutcomeOf(Message m) => new(m.Id, m.Mark.ToName());

    public static OutreachView Of(OutreachReport r) => new(r.Member, r.From, r.To,
        new CreditPriceView(r.CreditPrice.Basis, r.CreditPrice.PriceCents, r.CreditPrice.Credits, r.CreditPrice.PerCreditCents),
        Of(r.All), Of(r.InMail), Of(r.OpenProfile), Of(r.ShortBody), Of(r.LongBody),
        Of(OutreachBenchmarks.Seed));

    public static OutreachBenchmarksView Of(OutreachBenchmarks b) =>
        new(b.InMailReplyRateLow, b.InMailReplyRateHigh, b.ColdEmailReplyRate, b.ShortBodyUnderCharacters, b.BestDays, b.BestHours);

    public static OutreachMeasuresView Of(OutreachMeasures m) => new(m.Delivered, m.Opened, m.Responded, m.Accepted, m.Positive, m.MeetingsBooked,
        m.OpenRate, m.ReplyRate, m.PositiveRate, m.MeetingRate,
        new ReplyTimesView(m.TimeToFirstReply.Count, m.TimeToFirstReply.Median?.TotalSeconds, m.TimeToFirstReply.Percentile90?.TotalSeconds),
        m.CreditsSpent, m.CreditsRefunded, m.CreditsNet, m.CostPerReplyCents);

    public static RespondedView Of(Responded r) => new(Of(r.Response), Of(r.InMail), r.CreditsRefunded);

    public static SubscriptionView Of(Subscription s, bool viaTeam) =>
        new(s.Plan.Id, s.Billing.ToString().ToLowerInvariant(), s.Anchor, s.NextGrantAt, s.EndsAt, viaTeam);

    public static TeamView Of(Team t) => new(t.Id, t.Plan.Id, t.Subscription.Billing.ToString().ToLowerInvariant(), t.Admin, [.. t.Seats], t.SeatCap,
        t.Subscription.NextGrantAt, t.Subscription.EndsAt, t.EndedAt, t.Pool.Balance, [.. t.Pool.LiveLots.Select(Of)], [.. t.Offers.Select(o => Of(t, o))]);

    public static SeatOfferView Of(Team t, SeatOffer o) => new(t.Id, t.Plan.Id, o.Member, t.Admin, o.OfferedAt);

    public static CreditsView Of(CreditView c) => new(c.At, c.Plan, c.Usable, c.Frozen, [.. c.Lots.Select(Of)],
        [.. c.MayComeBack.Select(p => new MayComeBackView(p.InMail.Id, p.InMail.To, p.InMail.SentAt, p.Deadline))], c.SeatCapLeft,
        c.Lots.Count == 0 ? null : c.Lots.Min(l => l.Expires));

    /// <summary>Entries with the wallet's running balance after each.</summary>
    public static List<LedgerEntryView> Of(IEnumerable<LedgerEntry> entries) => Of(entries, 0);

    /// <summary>Entries of one wallet with the balance after each, starting from <paramref name="balanceBefore"/> (a page of a longer ledger).</summary>
    public static List<LedgerEntryView> Of(IEnumerable<LedgerEntry> entries, int balanceBefore)
    {
        var running = new Dictionary<WalletId, int>();
        foreach (var e in entries.Take(1))
        {
            running[e.Wallet] = balanceBefore;
        }
        var list = new List<LedgerEntryView>();
        foreach (var e in entries)
        {
            var balance = checked(running.GetValueOrDefault(e.Wallet) + e.Delta);
            running[e.Wallet] = balance;
            list.Add(new LedgerEntryView(Wallet(e.Wallet), e.Sequence, e.At, e.Kind.ToName(), e.Source.ToName(), e.LotId, e.Delta, balance,
                e.LotExpires, e.MessageId, e.Member, e.Note));
        }
        return list;
    }

    public static InvitationView Of(Invitation i) => new(i.From, i.To, i.Note, i.SentAt);

    public static ConversationView Of(Conversation c, string me, InMailState state)
    {
        var other = state.FindMember(c.Pair.Other(me))!;
        return new ConversationView(Brief(other), c.LastActivityAt, c.UnreadFor(me), c.IsArchivedFor(me), c.Messages.Any(m => m.IsInMail), c.Messages.Count, c.Last is { } last ? Of(last) : null,
            state.FindMember(me) is { } member ? [.. InMailEngine.LabelsOn(c, member).Select(l => l.Name)] : [],
            c.SnoozedUntil(me), c.ReminderFor(me)?.At, c.IsMarkedUnreadFor(me));
    }
}
