using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>Inbox labels (SPEC §11): a member's labels, and the labels on their conversations.</summary>
public static class LabelEndpoints
{
    /// <summary>Maps the label resources into <paramref name="api"/>.</summary>
    public static void MapLabels(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/labels", (HttpContext context, Runner run, string id) =>
            Self(context, id) ?? run.Query(context, (e, _) => e.State.FindMember(context.Who().Member)!.Labels.Select(Of).ToList()))
            .Doc<List<LabelView>>("Your labels, in the order you made them");

        api.MapPost("/members/{id}/labels", (HttpContext context, Runner run, string id) =>
            Self(context, id) ?? run.Command<LabelBody>(context, (b, who) => new CreateLabel(who.Member, b.Name), (_, _, r) => Of((InboxLabel)r),
                StatusCodes.Status201Created, l => $"/api/v1/members/{Uri.EscapeDataString(context.Who().Member)}/labels/{Uri.EscapeDataString(l.GetProperty("name").GetString()!)}"))
            .Doc<LabelBody, LabelView>("Makes a label: 1–30 characters, unique without regard to case, at most 20 (label-limit-reached)", StatusCodes.Status201Created);

        api.MapPut("/members/{id}/labels/{label}", (HttpContext context, Runner run, string id, string label) =>
            Self(context, id) ?? run.Command<LabelBody>(context, (b, who) => new RenameLabel(who.Member, label, b.Name), (_, _, r) => Of((InboxLabel)r)))
            .Doc<LabelBody, LabelView>("Renames a label; the conversations carrying it keep it");

        api.MapDelete("/members/{id}/labels/{label}", (HttpContext context, Runner run, string id, string label) =>
            Self(context, id) ?? run.Command(context, new DeleteLabel(context.Who().Member, label), (_, _, r) => Of((InboxLabel)r)))
            .Doc<LabelView>("Deletes a label; it leaves every conversation");

        api.MapPut("/conversations/{other}/labels", (HttpContext context, Runner run, string other) =>
            run.Command<ConversationLabelsBody>(context, (b, who) => new LabelConversation(who.Member, other, b.Add, b.Remove),
                (_, _, r) => ((IReadOnlyList<InboxLabel>)r).Select(l => l.Name).ToList()))
            .Doc<ConversationLabelsBody, List<string>>("Puts labels on your conversation (a new name makes a label) and takes others off; answers with its labels");
    }

    private static LabelView Of(InboxLabel l) => new(l.Name);

    private static Task<IResult>? Self(HttpContext context, string id) => Endpoints.Self(context, id, "labels");
}
