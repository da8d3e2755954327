using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>The API: invitations, connections, blocks and groups.</summary>
public static partial class Endpoints
{
    private static void MapNetwork(RouteGroupBuilder api)
    {
        api.MapGet("/members/{id}/connections", (HttpContext context, Runner run, string id) =>
            Self(context, id, "connections") ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Connections.Select(c => View.Brief(e.State.FindMember(c)!))
                    .OrderBy(b => b.Name, StringComparer.OrdinalIgnoreCase).ToList()))
            .Doc<List<MemberBrief>>("Your connections");

        api.MapDelete("/members/{id}/connections/{other}", (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "connections") ?? run.Command(context, new Disconnect(context.Who().Member, other), NoBody, StatusCodes.Status204NoContent))
            .Doc("Removes a connection", StatusCodes.Status204NoContent);

        api.MapGet("/members/{id}/invitations", async (HttpContext context, Runner run, string id) =>
        {
            if (Self(context, id, "invitations") is { } refused)
            {
                return await refused;
            }
            var me = context.Who().Member;
            // Invitations received are found in their table (decision 007); each is read from its sender.
            var inviters = await run.Store.InvitersOfAsync(me, context.RequestAborted);
            return await run.Query(context, (e, _) =>
            {
                var received = inviters.Select(from => e.State.FindInvitation(from, me)).OfType<Domain.Network.Invitation>();
                return new InvitationsView([.. received.OrderByDescending(i => i.SentAt).Select(View.Of)],
                    [.. e.State.InvitationsFrom(me).OrderByDescending(i => i.SentAt).Select(View.Of)]);
            });
        })
            .Doc<InvitationsView>("Invitations waiting for you, and yours waiting for others");

        api.MapPost("/members/{id}/invitations", (HttpContext context, Runner run, string id) =>
            Self(context, id, "invitations") ?? run.Command<InviteBody>(context, (b, who) => new Invite(who.Member, b.To, b.Note),
                (_, _, r) => View.Of((Domain.Network.Invitation)r), StatusCodes.Status201Created,
                _ => $"/api/v1/members/{context.Who().Member}/invitations"))
            .Doc<InviteBody, InvitationView>("Invites a member to connect, with an optional note", StatusCodes.Status201Created);

        api.MapPost("/members/{id}/invitations/{from}/accept", (HttpContext context, Runner run, string id, string from) =>
            Self(context, id, "invitations") ?? run.Command(context, new AcceptInvite(from, context.Who().Member), NoBody, StatusCodes.Status204NoContent))
            .Doc("Accepts an invitation: you are connected", StatusCodes.Status204NoContent);

        api.MapPost("/members/{id}/invitations/{from}/ignore", (HttpContext context, Runner run, string id, string from) =>
            Self(context, id, "invitations") ?? run.Command(context, new IgnoreInvite(from, context.Who().Member), NoBody, StatusCodes.Status204NoContent))
            .Doc("Ignores an invitation", StatusCodes.Status204NoContent);

        api.MapDelete("/members/{id}/invitations/{to}", (HttpContext context, Runner run, string id, string to) =>
            Self(context, id, "invitations") ?? run.Command(context, new WithdrawInvite(context.Who().Member, to), NoBody, StatusCodes.Status204NoContent))
            .Doc("Withdraws an invitation you sent", StatusCodes.Status204NoContent);

        api.MapGet("/members/{id}/blocks", (HttpContext context, Runner run, string id) =>
            Self(context, id, "blocks") ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Blocked.Select(b => View.Brief(e.State.FindMember(b)!)).ToList()))
            .Doc<List<MemberBrief>>("Members you blocked");

        api.MapPut("/members/{id}/blocks/{other}", (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "blocks") ?? run.Command(context, new Block(context.Who().Member, other), NoBody, StatusCodes.Status204NoContent))
            .Doc("Blocks a member: neither of you can message the other", StatusCodes.Status204NoContent);

        api.MapDelete("/members/{id}/blocks/{other}", (HttpContext context, Runner run, string id, string other) =>
            Self(context, id, "blocks") ?? run.Command(context, new Unblock(context.Who().Member, other), NoBody, StatusCodes.Status204NoContent))
            .Doc("Unblocks a member", StatusCodes.Status204NoContent);

        api.MapGet("/groups", async (HttpContext context, Runner run) =>
        {
            var me = context.Who().Member;
            var ids = await run.Store.GroupIdsAsync(context.RequestAborted);
            return await run.Query(context, (e, _) => ids.Select(e.State.FindGroup).OfType<Domain.Network.Group>().OrderBy(g => g.Name, StringComparer.OrdinalIgnoreCase)
                .Select(g => new GroupView(g.Id, g.Name, g.Members.Count, g.Members.Contains(me))).ToList());
        }).Doc<List<GroupView>>("Every group, and whether you are in it");

        api.MapPost("/groups", (HttpContext context, Runner run) =>
            run.Command<GroupBody>(context, (b, who) => new CreateGroup(b.Id, b.Name, who.Member), GroupPresent(context), StatusCodes.Status201Created,
                _ => "/api/v1/groups"))
            .Doc<GroupBody, GroupView>("Creates a group; you are its first member", StatusCodes.Status201Created);

        api.MapPost("/groups/{group}/members", async (HttpContext context, Runner run, string group) =>
            // The script command creates a group it does not know; through the API a group must exist first.
            await run.Store.ReadAsync((e, _) => e.State.FindGroup(group) is null, context.RequestAborted)
                ? Problems.Of(StatusCodes.Status404NotFound, "unknown-group", $"There is no group '{group}'.")
                : await run.Command(context, new JoinGroup(context.Who().Member, group), GroupPresent(context)))
            .Doc<GroupView>("Joins a group");

        api.MapDelete("/groups/{group}/members/{id}", (HttpContext context, Runner run, string group, string id) =>
            Self(context, id, "group memberships") ?? run.Command(context, new LeaveGroup(context.Who().Member, group), NoBody, StatusCodes.Status204NoContent))
            .Doc("Leaves a group", StatusCodes.Status204NoContent);
    }

    private static Func<InMailEngine, DateTimeOffset, object, object> GroupPresent(HttpContext context)
    {
        var me = context.Who().Member;
        return (_, _, r) => r is Domain.Network.Group g ? new GroupView(g.Id, g.Name, g.Members.Count, g.Members.Contains(me)) : r;
    }

    private static readonly Func<InMailEngine, DateTimeOffset, object, object> NoBody = (_, _, r) => r;

    private static string MessageAt(System.Text.Json.JsonElement message) => $"/api/v1/messages/{message.GetProperty("id").GetString()}";

    private static string TeamAt(System.Text.Json.JsonElement team) => $"/api/v1/teams/{team.GetProperty("id").GetString()}";
}
