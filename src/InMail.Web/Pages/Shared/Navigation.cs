using InMail.Storage;
using InMail.Web.Hosting;
using InMail.Web.Security;

namespace InMail.Web.Pages.Shared;

/// <summary>What the navigation shows for the signed-in member: who they are, and which of the optional pages they get.</summary>
public sealed record Navigation(string Member, string Name, string Plan, string? TeamOf, bool DemoClock, int Unread, int SeatOffers)
{
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
        return store.Read((e, now) =>
        {
            if (e.State.FindMember(who.Member) is not { } m)
            {
                return null;
            }
            e.CatchUp(now, m);
            var team = e.State.FindTeam(m.TeamId);
            var offers = offering.Count(t => e.State.FindTeam(t) is { IsActive: true } team && team.OfferTo(m.Id) is not null);
            return new Navigation(m.Id, m.Profile.Name, e.PlanOf(m).Name, team?.Id,
                who.IsOperator && options.Mode == ServiceMode.Demo, unread, offers);
        });
    }
}
