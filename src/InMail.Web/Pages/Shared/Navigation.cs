using InMail.Storage;
using InMail.Web.Hosting;
using InMail.Web.Security;

namespace InMail.Web.Pages.Shared;

/// <summary>
/// What the navigation shows for the signed-in member: who they are, which of the optional pages they get, and
/// what they have not read (inbox conversations and notifications: the bell, and the count in the tab's title).
/// </summary>
public sealed record Navigation(string Member, string Name, string Plan, string? TeamOf, bool DemoClock, int Unread, int SeatOffers, int Notifications)
{
    /// <summary>What the browser tab's title counts: unread conversations and notifications (the pages' script keeps it current).</summary>
    public int TitleCount => Unread + Notifications;

    /// <summary>The inbox link's words after "Inbox" (the script writes the same).</summary>
    public static string UnreadText(int unread) => unread > 0 ? $" ({unread} unread)" : "";

    /// <summary>The bell's accessible name (the script writes the same).</summary>
    public static string BellName(int unread) => unread > 0 ? $"Notifications ({unread} unread)" : "Notifications";

    public static async Task<Navigation?> ForAsync(HttpContext context, CommandStore store, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        if (context.User.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var who = context.Who();
        // Seat offers are found in their table (decision 007): memory holds only the working set.
        var offering = await store.TeamsOfferingAsync(who.Member, context.RequestAborted);
        var unread = await store.UnreadConversationsAsync(who.Member, context.RequestAborted);
        return await store.ReadAsync((e, now) =>
        {
            if (e.MemberAt(now, who.Member) is not { } m)
            {
                return null;
            }
            var team = e.State.FindTeam(m.TeamId); // caught up with its seat
            // Caught up too: a team that ended has withdrawn its offers.
            var offers = offering.Count(t => e.TeamAt(now, t) is { IsActive: true } team && team.OfferTo(m.Id) is not null);
            return new Navigation(m.Id, m.Profile.Name, e.PlanOf(m).Name, team?.Id,
                who.IsOperator && options.Mode == ServiceMode.Demo, unread, offers, m.Notifications.Count(n => n.ReadAt is null));
        }, context.RequestAborted);
    }
}
