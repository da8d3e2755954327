using InMail.Domain.Credits;
using InMail.Domain.Time;

namespace InMail.Domain.Network;

/// <summary>Who a member is, as others see them.</summary>
public sealed record Profile(string Name, string? Headline = null, string? Company = null, string? TimeZone = null);

/// <summary>
/// A member of the network: profile, settings, plan (a personal subscription or a team seat, never
/// both), personal wallet, and the activity the limits of SPEC §4 and §6 read.
/// </summary>
public sealed class Member
{
    private readonly HashSet<string> _connections = new(StringComparer.Ordinal);
    private readonly HashSet<string> _blocked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Outreach.MessageTemplate> _templates = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Outreach.ScheduledSend> _schedules = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Outreach.Sequence> _sequences = new(StringComparer.Ordinal);
    private readonly List<Messaging.InboxLabel> _labels = [];
    private readonly FrontTrimmedList<Messaging.Notification> _notifications = new();
    private readonly SortedSet<(DateTimeOffset WarnAt, string MessageId, string To)> _refundWatch = [];
    private readonly Dictionary<string, List<Outreach.Enrollment>> _enrollmentsByRecipient = new(StringComparer.Ordinal);

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

    public string Id { get; }
    public Profile Profile { get; private set; }
    public DateTimeOffset JoinedAt { get; }

    /// <summary>The Open Profile setting; it only works while the member is on a paid plan.</summary>
    public bool OpenProfile { get; private set; }

    /// <summary>False when the member turned InMail off ("InMail unavailable").</summary>
    public bool InMailEnabled { get; private set; } = true;

    /// <summary>False when the member refuses messages from fellow group members.</summary>
    public bool GroupMessagesEnabled { get; private set; } = true;

    public Subscription? Subscription { get; private set; }
    public string? TeamId { get; private set; }
    public Wallet Wallet { get; }

    /// <summary>Until when a spam suspension stops InMail, open-profile and group messages.</summary>
    public DateTimeOffset? RestrictedUntil { get; private set; }

    public IReadOnlySet<string> Connections => _connections;

    /// <summary>Members this member blocked (not those who blocked them).</summary>
    public IReadOnlySet<string> Blocked => _blocked;
    public IReadOnlySet<string> Groups => _groups;

    /// <summary>InMails (paid and open-profile) this member sent, for the daily limit and the spam share.</summary>
    public InstantLog InMailsSent { get; }

    /// <summary>InMails this member received, for the weekly recipient limit.</summary>
    public InstantLog InMailsReceived { get; }
    public InstantLog InvitationsSent { get; }

    /// <summary>Spam reports made against this member's InMails.</summary>
    public InstantLog SpamReports { get; }
    public MonthCounter GroupMessagesSent { get; } = new();
    public MonthCounter NotesSent { get; } = new();

    public bool IsRestrictedAt(DateTimeOffset t) => RestrictedUntil is { } until && t < until;

    /// <summary>The member's saved templates (SPEC §10), by id.</summary>
    public IReadOnlyDictionary<string, Outreach.MessageTemplate> Templates => _templates;

    internal void SaveTemplate(Outreach.MessageTemplate template) => _templates[template.Id] = template;

    internal bool DeleteTemplate(string id) => _templates.Remove(id);

    /// <summary>The member's scheduled sends (SPEC §10), pending and past, by id.</summary>
    public IReadOnlyDictionary<string, Outreach.ScheduledSend> Schedules => _schedules;

    /// <summary>How many of the member's scheduled sends are still pending.</summary>
    public int PendingSchedules => _schedules.Values.Count(s => s.Status == Outreach.ScheduleStatus.Pending);

    internal void AddSchedule(Outreach.ScheduledSend schedule) => _schedules.Add(schedule.Id, schedule);

    /// <summary>The member's notifications (SPEC §11) as they were made; the newest the policy keeps.</summary>
    public IReadOnlyList<Messaging.Notification> Notifications => _notifications;

    public long NextNotificationId { get; private set; } = 1;

    /// <summary>Lots whose expiry warning falls due at or before this instant have been warned about.</summary>
    public DateTimeOffset? ExpiryWarnedUpTo { get; internal set; }

    /// <summary>Paid InMails whose refund window's closing is still to be announced, by when: (instant, message, recipient).</summary>
    public IReadOnlyCollection<(DateTimeOffset WarnAt, string MessageId, string To)> RefundWatch => _refundWatch;

    internal void Notify(string kind, DateTimeOffset at, string? about, string text, int keep)
    {
        _notifications.Add(new Messaging.Notification(NextNotificationId++, kind, at, about, text));
        if (_notifications.Count > keep)
        {
            _notifications.RemoveFirst(_notifications.Count - keep);
        }
    }

    internal void WatchRefund(DateTimeOffset warnAt, string messageId, string to) => _refundWatch.Add((warnAt, messageId, to));

    internal (DateTimeOffset WarnAt, string MessageId, string To)? NextRefundWatch => _refundWatch.Count == 0 ? null : _refundWatch.Min;

    internal void Unwatch((DateTimeOffset WarnAt, string MessageId, string To) entry) => _refundWatch.Remove(entry);

    /// <summary>Restores the notifications and watches read back from the member's document.</summary>
    internal void RestoreNotifications(IEnumerable<Messaging.Notification> notifications, long nextId, DateTimeOffset? warnedUpTo,
        IEnumerable<(DateTimeOffset, string, string)> watch)
    {
        foreach (var notification in notifications)
        {
            _notifications.Add(notification);
        }
        NextNotificationId = nextId;
        ExpiryWarnedUpTo = warnedUpTo;
        _refundWatch.UnionWith(watch);
    }

    /// <summary>The member's inbox labels (SPEC §11), in the order they were made.</summary>
    public IReadOnlyList<Messaging.InboxLabel> Labels => _labels;

    /// <summary>The number the member's next label gets: ids are never reused, so a deleted label never comes back on a conversation.</summary>
    public int NextLabelId { get; private set; } = 1;

    /// <summary>The label named <paramref name="name"/>, compared without regard to case (SPEC §11).</summary>
    public Messaging.InboxLabel? FindLabel(string? name) =>
        name is null ? null : _labels.FirstOrDefault(l => string.Equals(l.Name, name.Trim(), StringComparison.OrdinalIgnoreCase));

    internal Messaging.InboxLabel AddLabel(string name)
    {
        var label = new Messaging.InboxLabel(NextLabelId++, name);
        _labels.Add(label);
        return label;
    }

    internal void RenameLabel(Messaging.InboxLabel label, string name) => _labels[_labels.IndexOf(label)] = label with { Name = name };

    internal void DeleteLabel(Messaging.InboxLabel label) => _labels.Remove(label);

    /// <summary>Restores the labels read back from the member's document.</summary>
    internal void RestoreLabels(IEnumerable<Messaging.InboxLabel> labels, int nextId)
    {
        _labels.AddRange(labels);
        NextLabelId = nextId;
    }

    /// <summary>The member's follow-up sequences (SPEC §10), by id.</summary>
    public IReadOnlyDictionary<string, Outreach.Sequence> Sequences => _sequences;

    /// <summary>Every enrolment of <paramref name="to"/> in any of the member's sequences, oldest first.</summary>
    public IReadOnlyList<Outreach.Enrollment> EnrollmentsOf(string to) =>
        _enrollmentsByRecipient.TryGetValue(to, out var list) ? list : [];

    /// <summary>The member's active enrolment of <paramref name="to"/> in any sequence (at most one).</summary>
    public Outreach.Enrollment? ActiveEnrollmentOf(string to) =>
        EnrollmentsOf(to).FirstOrDefault(e => e.Status == Outreach.EnrollmentStatus.Active);

    internal void SaveSequence(Outreach.Sequence sequence) => _sequences[sequence.Id] = sequence;

    internal void DeleteSequence(Outreach.Sequence sequence)
    {
        _sequences.Remove(sequence.Id);
        foreach (var e in sequence.Enrollments)
        {
            if (_enrollmentsByRecipient.TryGetValue(e.To, out var list) && list.Remove(e) && list.Count == 0)
            {
                _enrollmentsByRecipient.Remove(e.To);
            }
        }
    }

    internal void AddEnrollment(Outreach.Enrollment enrollment)
    {
        enrollment.Sequence.Add(enrollment);
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

    internal bool AddConnection(string other) => _connections.Add(other);

    internal bool RemoveConnection(string other) => _connections.Remove(other);

    internal bool AddBlock(string other) => _blocked.Add(other);

    internal bool RemoveBlock(string other) => _blocked.Remove(other);

    internal bool Join(string group) => _groups.Add(group);

    internal bool Leave(string group) => _groups.Remove(group);

    public override string ToString() => Id;
}
