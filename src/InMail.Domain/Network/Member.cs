using System.Collections.Frozen;
using System.Collections.ObjectModel;
using InMail.Domain.Credits;
using InMail.Domain.Time;

namespace InMail.Domain.Network;

/// <summary>Who a member is, as others see them.</summary>
/// <param name="Name">The member's name, 1–100 characters.</param>
/// <param name="Headline">A line about what they do, at most 220 characters.</param>
/// <param name="Company">Where they work, at most 100 characters.</param>
/// <param name="TimeZone">Their IANA time zone (<c>Europe/Paris</c>), for best windows and send-time charts; null for UTC.</param>
public sealed record Profile(string Name, string? Headline = null, string? Company = null, string? TimeZone = null);

/// <summary>
/// A member of the network: profile, settings, plan (a personal subscription or a team seat, never
/// both), personal wallet, and the activity the limits of SPEC §4 and §6 read.
/// </summary>
public sealed class Member
{
    // The collections most members never use are made on first write: a member costs a few hundred
    // bytes rather than a couple of kilobytes, which the plan advisor's replays (tens of thousands of
    // recipients each) spent in garbage collection. Readers get an empty view until then.
    private static readonly IReadOnlySet<string> NoStrings = FrozenSet<string>.Empty;
    private HashSet<string>? _connections;
    private HashSet<string>? _blocked;
    private HashSet<string>? _groups;
    private SortedDictionary<string, Outreach.MessageTemplate>? _templates;
    private SortedDictionary<string, Outreach.ScheduledSend>? _schedules;
    private SortedDictionary<string, Outreach.Sequence>? _sequences;
    private List<Messaging.InboxLabel>? _labels;
    private readonly FrontTrimmedList<Messaging.Notification> _notifications = new();
    private SortedSet<(DateTimeOffset WarnAt, string MessageId, string To)>? _refundWatch;
    private Dictionary<string, List<Outreach.Enrollment>>? _enrollmentsByRecipient;

    // activityRetention: how long the activity logs keep instants, the longest rolling window of the policy that reads them.
    internal Member(string id, Profile profile, DateTimeOffset joinedAt, TimeSpan activityRetention)
    {
        InMailsSent = new(activityRetention);
        InMailsReceived = new(activityRetention);
        InvitationsSent = new(activityRetention);
        SpamReports = new(activityRetention);
        Id = id;
        Profile = profile;
        JoinedAt = joinedAt;
        Wallet = new Wallet(WalletId.ForMember(id));
    }

    /// <summary>The member's id, unique without regard to case (<c>Maya.Chen</c> and <c>maya.chen</c> cannot both exist).</summary>
    public string Id { get; }

    /// <summary>Name, headline, company and time zone, as others see them.</summary>
    public Profile Profile { get; private set; }

    /// <summary>When the member was added.</summary>
    public DateTimeOffset JoinedAt { get; }

    /// <summary>The Open Profile setting; it only works while the member is on a paid plan.</summary>
    public bool OpenProfile { get; private set; }

    /// <summary>False when the member turned InMail off ("InMail unavailable").</summary>
    public bool InMailEnabled { get; private set; } = true;

    /// <summary>False when the member refuses messages from fellow group members.</summary>
    public bool GroupMessagesEnabled { get; private set; } = true;

    /// <summary>The member's personal plan; null on the free plan or with a team seat.</summary>
    public Subscription? Subscription { get; private set; }

    /// <summary>
    /// The team the member holds a seat on; null without one. A member never has both this and a
    /// <see cref="Subscription"/>.
    /// </summary>
    public string? TeamId { get; private set; }

    /// <summary>The member's own lots; a seat also spends from the team's pool.</summary>
    public Wallet Wallet { get; }

    /// <summary>Until when a spam suspension stops InMail, open-profile and group messages.</summary>
    public DateTimeOffset? RestrictedUntil { get; private set; }

    /// <summary>The member's 1st-degree connections, by id.</summary>
    public IReadOnlySet<string> Connections => _connections ?? NoStrings;

    /// <summary>Members this member blocked (not those who blocked them).</summary>
    public IReadOnlySet<string> Blocked => _blocked ?? NoStrings;

    /// <summary>The groups the member is in, by id.</summary>
    public IReadOnlySet<string> Groups => _groups ?? NoStrings;

    /// <summary>InMails (paid and open-profile) this member sent, for the daily limit and the spam share.</summary>
    public InstantLog InMailsSent { get; }

    /// <summary>InMails this member received, for the weekly recipient limit.</summary>
    public InstantLog InMailsReceived { get; }

    /// <summary>Connection requests this member sent, for the weekly invite limit.</summary>
    public InstantLog InvitationsSent { get; }

    /// <summary>Spam reports made against this member's InMails.</summary>
    public InstantLog SpamReports { get; }

    /// <summary>Free group messages this member sent this calendar month, for the monthly group limit.</summary>
    public MonthCounter GroupMessagesSent { get; } = new();

    /// <summary>Connection requests with a note this member sent this calendar month, for the free plan's note limit.</summary>
    public MonthCounter NotesSent { get; } = new();

    /// <summary>Whether a spam suspension stops the member's InMail, open-profile and group messages at <paramref name="t"/>.</summary>
    public bool IsRestrictedAt(DateTimeOffset t) => RestrictedUntil is { } until && t < until;

    /// <summary>The member's saved templates (SPEC §10), by id.</summary>
    public IReadOnlyDictionary<string, Outreach.MessageTemplate> Templates => (IReadOnlyDictionary<string, Outreach.MessageTemplate>?)_templates ?? ReadOnlyDictionary<string, Outreach.MessageTemplate>.Empty;

    internal void SaveTemplate(Outreach.MessageTemplate template) => (_templates ??= new(StringComparer.Ordinal))[template.Id] = template;

    internal bool DeleteTemplate(string id) => _templates?.Remove(id) == true;

    /// <summary>The member's scheduled sends (SPEC §10), pending and past, by id.</summary>
    public IReadOnlyDictionary<string, Outreach.ScheduledSend> Schedules => (IReadOnlyDictionary<string, Outreach.ScheduledSend>?)_schedules ?? ReadOnlyDictionary<string, Outreach.ScheduledSend>.Empty;

    /// <summary>How many of the member's scheduled sends are still pending.</summary>
    public int PendingSchedules => _schedules is null ? 0 : _schedules.Values.Count(s => s.Status == Outreach.ScheduleStatus.Pending);

    internal void AddSchedule(Outreach.ScheduledSend schedule) => (_schedules ??= new(StringComparer.Ordinal)).Add(schedule.Id, schedule);

    /// <summary>The member's notifications (SPEC §11) as they were made; the newest the policy keeps (read from their document on first use).</summary>
    public IReadOnlyList<Messaging.Notification> Notifications
    {
        get
        {
            EnsureNotifications();
            return _notifications;
        }
    }

    // Set while the notifications are still in their own document (decision 007): the first use reads them.
    private Action<Member>? _readNotifications;

    /// <summary>Whether the notifications are in memory (not still waiting in their document).</summary>
    internal bool NotificationsInMemory => _readNotifications is null;

    /// <summary>Whether the notifications changed (one made, or marked read) since their document was last written.</summary>
    public bool NotificationsChanged { get; internal set; }

    /// <summary>The notifications are in their own document: <paramref name="read"/> restores them on first use.</summary>
    internal void NotificationsElsewhere(Action<Member> read) => _readNotifications = read;

    private void EnsureNotifications()
    {
        if (_readNotifications is { } read)
        {
            _readNotifications = null;
            read(this);
        }
    }

    /// <summary>The id the member's next notification gets: 1, 2, 3…, never reused, so "read up to id n" stays meaningful.</summary>
    public long NextNotificationId { get; private set; } = 1;

    /// <summary>Lots whose expiry warning falls due at or before this instant have been warned about.</summary>
    public DateTimeOffset? ExpiryWarnedUpTo { get; internal set; }

    /// <summary>Paid InMails whose refund window's closing is still to be announced, by when: (instant, message, recipient).</summary>
    public IReadOnlyCollection<(DateTimeOffset WarnAt, string MessageId, string To)> RefundWatch => _refundWatch ?? (IReadOnlyCollection<(DateTimeOffset WarnAt, string MessageId, string To)>)[];

    internal void Notify(string kind, DateTimeOffset at, string? about, string text, int keep)
    {
        EnsureNotifications();
        NotificationsChanged = true;
        _notifications.Add(new Messaging.Notification(NextNotificationId++, kind, at, about, text));
        if (_notifications.Count > keep)
        {
            _notifications.RemoveFirst(_notifications.Count - keep);
        }
    }

    /// <summary>Marks the unread notifications read at <paramref name="at"/>, all of them or those up to the id <paramref name="upTo"/>; returns how many.</summary>
    internal int MarkNotificationsRead(long? upTo, DateTimeOffset at)
    {
        var marked = 0;
        foreach (var n in Notifications)
        {
            if (n.ReadAt is null && (upTo is null || n.Id <= upTo))
            {
                n.ReadAt = at;
                marked++;
            }
        }
        NotificationsChanged |= marked > 0;
        return marked;
    }

    internal void WatchRefund(DateTimeOffset warnAt, string messageId, string to) => (_refundWatch ??= []).Add((warnAt, messageId, to));

    internal (DateTimeOffset WarnAt, string MessageId, string To)? NextRefundWatch => _refundWatch is not { Count: > 0 } watch ? null : watch.Min;

    internal void Unwatch((DateTimeOffset WarnAt, string MessageId, string To) entry) => _refundWatch?.Remove(entry);

    /// <summary>Restores the notifications read back from a document.</summary>
    internal void RestoreNotificationList(IEnumerable<Messaging.Notification> notifications)
    {
        foreach (var notification in notifications)
        {
            _notifications.Add(notification);
        }
    }

    /// <summary>Restores the notification counters and watches read back from the member's document.</summary>
    internal void RestoreNotifications(long nextId, DateTimeOffset? warnedUpTo, IEnumerable<(DateTimeOffset, string, string)> watch)
    {
        NextNotificationId = nextId;
        ExpiryWarnedUpTo = warnedUpTo;
        (_refundWatch ??= []).UnionWith(watch);
    }

    /// <summary>The member's inbox labels (SPEC §11), in the order they were made.</summary>
    public IReadOnlyList<Messaging.InboxLabel> Labels => _labels ?? (IReadOnlyList<Messaging.InboxLabel>)[];

    /// <summary>The number the member's next label gets: ids are never reused, so a deleted label never comes back on a conversation.</summary>
    public int NextLabelId { get; private set; } = 1;

    /// <summary>The label named <paramref name="name"/>, compared without regard to case (SPEC §11).</summary>
    public Messaging.InboxLabel? FindLabel(string? name) =>
        name is null ? null : _labels?.FirstOrDefault(l => string.Equals(l.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    internal Messaging.InboxLabel AddLabel(string name)
    {
        var label = new Messaging.InboxLabel(NextLabelId++, name);
        (_labels ??= []).Add(label);
        return label;
    }

    internal void RenameLabel(Messaging.InboxLabel label, string name) => _labels![_labels.IndexOf(label)] = label with { Name = name };

    internal void DeleteLabel(Messaging.InboxLabel label) => _labels?.Remove(label);

    /// <summary>Restores the labels read back from the member's document.</summary>
    internal void RestoreLabels(IEnumerable<Messaging.InboxLabel> labels, int nextId)
    {
        (_labels ??= []).AddRange(labels);
        NextLabelId = nextId;
    }

    /// <summary>The member's follow-up sequences (SPEC §10), by id.</summary>
    public IReadOnlyDictionary<string, Outreach.Sequence> Sequences => (IReadOnlyDictionary<string, Outreach.Sequence>?)_sequences ?? ReadOnlyDictionary<string, Outreach.Sequence>.Empty;

    /// <summary>Every enrolment of <paramref name="to"/> in any of the member's sequences, oldest first.</summary>
    public IReadOnlyList<Outreach.Enrollment> EnrollmentsOf(string to) =>
        _enrollmentsByRecipient is not null && _enrollmentsByRecipient.TryGetValue(to, out var list) ? list : [];

    /// <summary>The member's active enrolment of <paramref name="to"/> in any sequence (at most one).</summary>
    public Outreach.Enrollment? ActiveEnrollmentOf(string to) =>
        EnrollmentsOf(to).FirstOrDefault(e => e.Status == Outreach.EnrollmentStatus.Active);

    internal void SaveSequence(Outreach.Sequence sequence) => (_sequences ??= new(StringComparer.Ordinal))[sequence.Id] = sequence;

    internal void DeleteSequence(Outreach.Sequence sequence)
    {
        _sequences?.Remove(sequence.Id);
        foreach (var e in sequence.Enrollments)
        {
            if (_enrollmentsByRecipient is not null && _enrollmentsByRecipient.TryGetValue(e.To, out var list) && list.Remove(e) && list.Count == 0)
            {
                _enrollmentsByRecipient.Remove(e.To);
            }
        }
    }

    internal void AddEnrollment(Outreach.Enrollment enrollment)
    {
        enrollment.Sequence.Add(enrollment);
        _enrollmentsByRecipient ??= new(StringComparer.Ordinal);
        if (!_enrollmentsByRecipient.TryGetValue(enrollment.To, out var list))
        {
            _enrollmentsByRecipient[enrollment.To] = list = [];
        }
        list.Add(enrollment);
    }

    internal void SetProfile(Profile profile) => Profile = profile;

    internal void SetOpenProfile(bool on) => OpenProfile = on;

    internal void SetInMail(bool on) => InMailEnabled = on;

    internal void SetGroupMessages(bool on) => GroupMessagesEnabled = on;

    internal void SetSubscription(Subscription? subscription) => Subscription = subscription;

    internal void SetTeam(string? teamId) => TeamId = teamId;

    internal void Restrict(DateTimeOffset until) => RestrictedUntil = until;

    internal bool AddConnection(string other) => (_connections ??= new(StringComparer.Ordinal)).Add(other);

    internal bool RemoveConnection(string other) => _connections?.Remove(other) == true;

    internal bool AddBlock(string other) => (_blocked ??= new(StringComparer.Ordinal)).Add(other);

    internal bool RemoveBlock(string other) => _blocked?.Remove(other) == true;

    internal bool Join(string group) => (_groups ??= new(StringComparer.Ordinal)).Add(group);

    internal bool Leave(string group) => _groups?.Remove(group) == true;

    /// <summary>The member's id.</summary>
    public override string ToString() => Id;
}
