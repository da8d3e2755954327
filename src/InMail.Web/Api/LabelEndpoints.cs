using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>Inbox labels (SPEC §11): a member's labels, and the labels on their conversations.</summary>
public static class LabelEndpoints
{
    /// <summary>Maps the label resources into <paramref name="api"/>.</summary>
    public static void MapLabelsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/labels", async (HttpContext context, Runner run, string id) =>
            Self(context, id) ?? await run.Query<List<LabelView>>(context, (e, _) => e.State.FindMember(context.Who().Member)!.Labels.Select(Of).ToList()))
            .Doc("Your labels, in the order you made them");

        api.MapPost("/members/{id}/labels", async (HttpContext context, Runner run, string id) =>
            Self(context, id) ?? await run.Create(context, (LabelBody b, Principal who) => new CreateLabel(who.Member, b.Name), (_, _, label) => Of(label),
                l => $"/api/v1/members/{Uri.EscapeDataString(context.Who().Member)}/labels/{Uri.EscapeDataString(l.GetProperty("name").GetString()!)}"))
            .DocIn<LabelBody>("Makes a label: 1–30 characters, unique without regard to case, at most 20 (label-limit-reached)");

        api.MapPut("/members/{id}/labels/{label}", async (HttpContext context, Runner run, string id, string label) =>
            Self(context, id) ?? await run.Command(context, (LabelBody b, Principal who) => new RenameLabel(who.Member, label, b.Name), (_, _, renamed) => Of(renamed)))
            .DocIn<LabelBody>("Renames a label; the conversations carrying it keep it");

        api.MapDelete("/members/{id}/labels/{label}", async (HttpContext context, Runner run, string id, string label) =>
            Self(context, id) ?? await run.Command(context, new DeleteLabel(context.Who().Member, label), (_, _, deleted) => Of(deleted)))
            .Doc("Deletes a label; it leaves every conversation");

        api.MapPut("/conversations/{other}/labels", (HttpContext context, Runner run, string other) =>
            run.Command(context, (ConversationLabelsBody b, Principal who) => new LabelConversation(who.Member, other, b.Add, b.Remove),
                (_, _, labels) => labels.Select(l => l.Name).ToList()))
            .DocIn<ConversationLabelsBody>("Puts labels on your conversation (a new name makes a label) and takes others off; answers with its labels");
    }

    /// <summary>Maps snoozes and reminders on the caller's conversations (SPEC §11).</summary>
    public static void MapSnoozesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPut("/conversations/{other}/snooze", (HttpContext context, Runner run, string other) =>
            run.Command(context, (SnoozeBody b, Principal who) => new SnoozeConversation(who.Member, other, b.Until),
                (e, _, conversation) => View.Of(conversation, context.Who().Member, e.State)))
            .DocIn<SnoozeBody>("Snoozes your conversation until an instant: out of the inbox until then, or until the other member writes; it comes back on top, marked unread");

        api.MapDelete("/conversations/{other}/snooze", (HttpContext context, Runner run, string other) =>
            run.Command(context, new Unsnooze(context.Who().Member, other), (e, _, conversation) => View.Of(conversation, context.Who().Member, e.State)))
            .Doc("Ends a snooze now (invalid-input when the conversation is not snoozed)");

        api.MapPut("/conversations/{other}/reminder", (HttpContext context, Runner run, string other) =>
            run.Command(context, (ReminderBody b, Principal who) => new Remind(who.Member, other, b.RemindAt, b.UnlessReply),
                (e, _, conversation) => View.Of(conversation, context.Who().Member, e.State)))
            .DocIn<ReminderBody>("Reminds you at an instant (a notification, and the conversation back on top), by default only if the other member has not written since");

        api.MapDelete("/conversations/{other}/reminder", (HttpContext context, Runner run, string other) =>
            run.Command(context, new CancelReminder(context.Who().Member, other), (e, _, conversation) => View.Of(conversation, context.Who().Member, e.State)))
            .Doc("Cancels your reminder on the conversation");
    }

    private static LabelView Of(InboxLabel l) => new(l.Name);

    private static ProblemResult? Self(HttpContext context, string id) => Endpoints.Self(context, id, "labels");
}
