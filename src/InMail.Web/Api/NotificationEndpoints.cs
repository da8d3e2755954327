using InMail.Domain.Commands;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>Notifications (SPEC §11): what fell due for a member, stamped when it did, and which they read.</summary>
public static class NotificationEndpoints
{
    /// <summary>Maps the notification resources into <paramref name="api"/>.</summary>
    public static void MapNotificationsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/notifications", async (HttpContext context, Runner run, string id, bool? unread) =>
            Endpoints.Self(context, id, "notifications") ?? await run.Query<NotificationPage>(context, (e, now) => e.Notifications(now, context.Who().Member) is var o && o.IsSuccess
                ? new NotificationPage(o.Value.Count(n => n.ReadAt is null),
                    [.. o.Value.Where(n => unread != true || n.ReadAt is null).Select(n => new NotificationView(n.Id, n.Kind, n.At, n.About, n.Text, n.ReadAt))])
                : o.Refusal))
            .Doc("Your notifications, oldest first, each stamped when its cause fell due (?unread=true for the unread ones), with the unread count");

        api.MapPost("/members/{id}/notifications/read", async (HttpContext context, Runner run, string id) =>
            Endpoints.Self(context, id, "notifications") ?? await run.Command(context, (ReadNotificationsBody b, Principal who) => new ReadNotifications(who.Member, b.UpTo),
                (_, _, read) => new ReadView(read)))
            .DocIn<ReadNotificationsBody>("Marks your notifications read: all, or those up to an id (upTo)");
    }
}
