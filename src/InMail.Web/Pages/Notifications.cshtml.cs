using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>A notification as the page lists it: the engine's own, and where to go about it.</summary>
public sealed record NotificationRow(Notification Notification, string? Href, string? LinkText);

/// <summary>
/// Notifications (SPEC §11): what fell due for the member, newest first, each stamped when its cause fell
/// due, with a link to what it is about; the unread ones are marked until the member marks them all read.
/// </summary>
public sealed class NotificationsModel(CommandStore store) : MemberPage(store)
{
    public IReadOnlyList<NotificationRow> Rows { get; private set; } = [];

    public int Unread { get; private set; }

    /// <summary>The newest notification shown: "Mark all read" marks up to it, so one that arrives meanwhile stays unread.</summary>
    [BindProperty]
    public long? UpTo { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostReadAsync() =>
        RunThenRedirectAsync(new ReadNotifications(Me, UpTo), "Notifications marked read.", async () =>
        {
            await LoadAsync();
            return Page();
        });

    private async Task LoadAsync()
    {
        var me = Me;
        (Rows, Unread) = await ReadAsync((e, now) =>
        {
            var all = e.Notifications(now, me);
            if (!all.IsSuccess)
            {
                return ((IReadOnlyList<NotificationRow>)[], 0);
            }
            var rows = all.Value.Reverse().Select(n =>
            {
                var (href, text) = Link(e.State, me, n);
                return new NotificationRow(n, href, text);
            }).ToList();
            return ((IReadOnlyList<NotificationRow>)rows, all.Value.Count(n => n.ReadAt is null));
        });
        UpTo = Rows.Count == 0 ? null : Rows.Max(r => r.Notification.Id); // ids number them as made, which is not always the order of their instants
    }

    /// <summary>Where a notification leads: the conversation of a message, the scheduled sends, the sequence, or the credits.</summary>
    private static (string? Href, string? Text) Link(Domain.InMailState state, string me, Notification n)
    {
        switch (n.Kind)
        {
            case NotificationKinds.CreditsGranted or NotificationKinds.CreditsExpiring:
                return ("/credits", "See your credits");
            case NotificationKinds.ScheduleRefused:
                return ("/schedules", "See your scheduled sends");
            case NotificationKinds.SequenceStopped when n.About?.Split('/') is [var sequence, ..] && sequence.Length > 0:
                return ($"/sequences/{Uri.EscapeDataString(sequence)}", $"See the sequence “{sequence}”");
            case NotificationKinds.RefundWindowClosing when state.FindMessage(n.About) is { } message:
                var other = message.From == me ? message.To : message.From;
                return ($"/inbox/{Uri.EscapeDataString(other)}", $"Open the conversation with {state.FindMember(other)?.Profile.Name ?? other}");
            default:
                return (null, null);
        }
    }
}
