using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>
/// The unread counts a page's title, inbox link and bell show (SPEC §11), in one cheap read the pages'
/// script polls: messages and conversations from the tables, notifications from the member.
/// </summary>
public static class CountEndpoints
{
    /// <summary>Maps the counts resource into <paramref name="api"/>.</summary>
    public static void MapCountsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/counts", async Task<Results<Answer<CountsView>, ProblemResult>> (HttpContext context, Runner run, string id) =>
        {
            if (Endpoints.Self(context, id, "counts") is { } refused)
            {
                return refused;
            }
            var me = context.Who().Member;
            var messages = await run.Store.UnreadMessagesAsync(me, context.RequestAborted);
            var conversations = await run.Store.UnreadConversationsAsync(me, context.RequestAborted);
            return await run.Query<CountsView>(context, (e, now) => e.Notifications(now, me) is var o && o.IsSuccess
                ? new CountsView(messages, conversations, o.Value.Count(n => n.ReadAt is null))
                : o.Refusal);
        }).Doc("Your unread counts: messages and conversations in your inbox (not the archive), and notifications; cheap enough to poll");
    }
}
