using InMail.Domain.Commands;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>Notifications (SPEC §11): what fell due for a member, stamped when it did, and which they read.</summary>
public static class NotificationEndpoints
{
    /// <summary>Maps the notification resources into <paramref name="api"/>.</summary>
    public static void MapNotifications(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/notifications", (HttpContext context, Runner run, string id, bool? unread) =>
            Endpoints.Self(context, id, "notifications") ?? run.Query(context, (e, now) => e.Notifications(now, context.Who().Member) is var o && o.IsSuccess
                ? new NotificationPage(o.Value.Count(n => n.ReadAt is null),
                    [.. o.Value.Where(n => unread != true || n.ReadAt is null).Select(n => new NotificationView(n.Id, n.Kind, n.At, n.About, n.Text, n.ReadAt))])
                : o.Refusal))
            .Doc<NotificationPage>("Your notifications, oldest first, each stamped when its cause fell due (?unread=true for the unread ones), with the unread count");

        api.MapPost("/members/{id}/notifications/read", (HttpContext context, Runner run, string id) =>
            Endpoints.Self(context, id, "notifications") ?? run.Command<ReadNotificationsBody>(context, (b, who) => new ReadNotifications(who.Member, b.UpTo),
                (_, _, r) => new ReadView((int)r)))
            .Doc<ReadNotificationsBody, ReadView>("Marks your notifications read: all, or those up to an id (upTo)");
    }
}
