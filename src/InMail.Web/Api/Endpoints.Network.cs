using InMail.Domain.Commands;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>The API: invitations, connections, blocks and groups.</summary>
public static partial class Endpoints
{
    /// <summary>Maps invitations, connections, blocks and groups into <paramref name="api"/>.</summary>
    public static void MapNetworkApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/connections", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "connections") ?? await run.Query<List<MemberBrief>>(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Connections.Select(c => View.Brief(e.State.FindMember(c)!))
                    .OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList()))
            .Doc("Your connections");

        api.MapDelete("/members/{id}/connections/{other}", async (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "connections") ?? await run.NoContent(context, new Disconnect(context.Who().Member, other)))
            .Doc("Removes a connection");

        api.MapGet("/members/{id}/invitations", async Task<Results<Answer<InvitationsView>, ProblemResult>> (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "invitations") is { } refused)
            {
                return refused;
            }
            var me = context.Who().Member;
            // Invitations received are found in their table (decision 007); each is read from its sender.
            var inviters = await run.Store.InvitersOfAsync(me, context.RequestAborted);
            return await run.Query<InvitationsView>(context, (e, _) =>
            {
                var received = inviters.Select(from => e.State.FindInvitation(from, me)).OfType<Domain.Network.Invitation>();
                return new InvitationsView([.. received.OrderByDescending(i => i.SentAt).Select(View.Of)],
                    [.. e.State.InvitationsFrom(me).OrderByDescending(i => i.SentAt).Select(View.Of)]);
            });
        })
            .Doc("Invitations waiting for you, and yours waiting for others");

        api.MapPost("/members/{id}/invitations", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "invitations") ?? await run.Create(context, (InviteBody b, Principal who) => new Invite(who.Member, b.To, b.Note),
                (_, _, invitation) => View.Of(invitation), _ => $"/api/v1/members/{context.Who().Member}/invitations"))
            .DocIn<InviteBody>("Invites a member to connect, with an optional note");

        api.MapPost("/members/{id}/invitations/{from}/accept", async (HttpContext context, Runner run, string id, string from) =>
            Self(context, id, "invitations") ?? await run.NoContent(context, new AcceptInvite(from, context.Who().Member)))
            .Doc("Accepts an invitation: you are connected");

        api.MapPost("/members/{id}/invitations/{from}/ignore", async (HttpContext context, Runner run, string id, string from) =>
            Self(context, id, "invitations") ?? await run.NoContent(context, new IgnoreInvite(from, context.Who().Member)))
            .Doc("Ignores an invitation");

        api.MapDelete("/members/{id}/invitations/{to}", async (HttpContext context, Runner run, string id, string to) =>
            Self(context, id, "invitations") ?? await run.NoContent(context, new WithdrawInvite(context.Who().Member, to)))
            .Doc("Withdraws an invitation you sent");

        api.MapGet("/members/{id}/blocks", async (HttpContext context, Runner run, string id) =>
            Self(context, id, "blocks") ?? await run.Query<List<MemberBrief>>(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Blocked.Select(b => View.Brief(e.State.FindMember(b)!)).ToList()))
            .Doc("Members you blocked");

        api.MapPut("/members/{id}/blocks/{other}", async (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "blocks") ?? await run.NoContent(context, new Block(context.Who().Member, other)))
            .Doc("Blocks a member: neither of you can message the other");

        api.MapDelete("/members/{id}/blocks/{other}", async (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "blocks") ?? await run.NoContent(context, new Unblock(context.Who().Member, other)))
            .Doc("Unblocks a member");

        api.MapGet("/groups", async (HttpContext context, Runner run) =>
        {
            var me = context.Who().Member;
            var ids = await run.Store.GroupIdsAsync(context.RequestAborted);
            return await run.Query<List<GroupView>>(context, (e, _) => ids.Select(e.State.FindGroup).OfType<Domain.Network.Group>()
                .OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => GroupView(g, me)).ToList());
        }).Doc("Every group, and whether you are in it");

        api.MapPost("/groups", (HttpContext context, Runner run) =>
            run.Create(context, (GroupBody b, Principal who) => new CreateGroup(b.Id, b.Name, who.Member), (_, _, group) => GroupView(group, context.Who().Member),
                _ => "/api/v1/groups"))
            .DocIn<GroupBody>("Creates a group; you are its first member");

        api.MapPost("/groups/{group}/members", async Task<Results<Answer<GroupView>, ProblemResult>> (HttpContext context, Runner run, string group) =>
            // The script command creates a group it does not know; through the API a group must exist first.
            await run.Store.ReadAsync((e, _) => e.State.FindGroup(group) is null, context.RequestAborted)
                ? Problems.Of(StatusCodes.Status404NotFound, "unknown-group", $"There is no group '{group}'.")
                : await run.Command(context, new JoinGroup(context.Who().Member, group), (_, _, joined) => GroupView(joined, context.Who().Member)))
            .Doc("Joins a group");

        api.MapDelete("/groups/{group}/members/{id}", async (HttpContext context, Runner run, string group, string id) =>
            Self(context, id, "group memberships") ?? await run.NoContent(context, new LeaveGroup(context.Who().Member, group)))
            .Doc("Leaves a group");
    }

    private static GroupView GroupView(Domain.Network.Group g, string me) => new(g.Id, g.Name, g.Members.Count, g.Members.Contains(me));

    private static string MessageAt(System.Text.Json.JsonElement message) => $"/api/v1/messages/{message.GetProperty("id").GetString()}";

    private static string TeamAt(System.Text.Json.JsonElement team) => $"/api/v1/teams/{team.GetProperty("id").GetString()}";
}
