using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>The API: sending, quotes, responses, conversations and the inbox.</summary>
public static partial class Endpoints
{
    /// <summary>Maps sending, quotes, responses, conversations and the inbox into <paramref name="api"/>.</summary>
    public static void MapMessagingApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/quotes", async Task<Results<Answer<QuoteView>, ProblemResult>> (HttpContext context, Runner run) =>
        {
            var (body, problem) = await ApiJson.ReadAsync<MessageBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            var me = context.Who().Member;
            var files = await Uploads.ResolveAsync(run.Store, me, body!.Attachments, context.RequestAborted);
            if (!files.IsSuccess)
            {
                return Problems.Refused(files.Refusal);
            }
            return await run.Query<QuoteView>(context, (e, now) => e.Quote(now, new Draft(me, body.To, body.Subject, body.Body, body.Template) { Attachments = files.Value }) is var q
                && q.IsSuccess ? View.Of(q.Value) : q.Refusal);
        }).DocIn<MessageBody>("What a send would cost and by which path, without sending (the same checks as a send)");

        api.MapPost("/messages", (HttpContext context, Runner run) =>
            run.CreateAsync(context, async Task<Outcome<Command<Sent>>> (MessageBody b, Principal who) =>
                    await Uploads.ResolveAsync(run.Store, who.Member, b.Attachments, context.RequestAborted) is var files && files.IsSuccess
                        ? new Send(who.Member, b.To, b.Subject, b.Body, Template: b.Template, Attachments: files.Value)
                        : files.Refusal,
                (e, now, sent) => View.Of(sent, e.CreditsLeft(now, sent.Message.From) is { IsSuccess: true } left ? left.Value : 0), sent => MessageAt(sent.GetProperty("message"))))
            .DocIn<MessageBody>("Sends a message or an InMail; send an Idempotency-Key to retry safely");

        api.MapGet("/messages/{message}", (HttpContext context, Runner run, string message) =>
        {
            var me = context.Who().Member;
            return run.Query<MessageView>(context, (e, _) => e.State.FindMessage(message) is { } m && (m.From == me || m.To == me)
                ? View.Of(m)
                : Refuse.With(RefusalCode.UnknownMessage, $"There is no message '{message}' of yours."));
        }).Doc("One of your messages");

        api.MapPost("/messages/{message}/responses", (HttpContext context, Runner run, string message) =>
            run.CreateAsync(context, async Task<Outcome<Command<Responded>>> (RespondBody b, Principal who) =>
                    await Uploads.ResolveAsync(run.Store, who.Member, b.Attachments, context.RequestAborted) is var files && files.IsSuccess
                        ? new Respond(who.Member, message, b.Kind, b.Body, files.Value)
                        : files.Refusal,
                (_, _, responded) => View.Of(responded), responded => MessageAt(responded.GetProperty("response"))))
            .DocIn<RespondBody>("Replies to, accepts or declines an InMail sent to you (its credit goes back to the sender)");

        api.MapPost("/messages/{message}/spam-reports", (HttpContext context, Runner run, string message) =>
            run.Create(context, new ReportSpam(context.Who().Member, message), (_, _, reported) => View.Of(reported), MessageAt))
            .Doc("Reports an InMail sent to you as spam");

        api.MapPut("/messages/{message}/outcome", (HttpContext context, Runner run, string message) =>
            run.Command(context, (OutcomeBody b, Principal who) => new MarkOutcome(who.Member, message, b.Outcome),
                (_, _, marked) => View.OutcomeOf(marked)))
            .DocIn<OutcomeBody>("Marks the outcome of an InMail you sent: positive, meeting-booked, or none to clear (SPEC §9)");

        api.MapGet("/members/{id}/outreach", async Task<Results<Answer<OutreachView>, ProblemResult>> (HttpContext context, Runner run, string id, string? from, string? to) =>
        {
            var member = Runner.Resolve(id, context.Who());
            if (SelfOrOperator(context, id, "outreach") is { } refused)
            {
                return refused;
            }
            if (!TryOptionalInstant(from, out var start) || !TryOptionalInstant(to, out var end))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input",
                    "from and to are ISO-8601 instants with an offset, like 2026-03-01T09:00:00Z.");
            }
            // From the tables, as the Results page reads it (decision 014): a member's history never loads into memory.
            var history = await run.Store.OutreachAsync(member, _ => (start, end), context.RequestAborted);
            return history.IsSuccess ? new Answer<OutreachView>(View.Of(history.Value.Report)) : Problems.Refused(history.Refusal);
        }).Doc("Outreach measures over the InMails you sent, with from ≤ sent < to (SPEC §9): rates, reply times, credits, cost per reply");

        api.MapGet("/conversations", async Task<Results<Answer<ConversationPage>, ProblemResult>> (HttpContext context, Runner run, string? filter, bool? archived, int? limit, int? offset, string? cursor, string? q, string? label) =>
        {
            var me = context.Who().Member;
            int? labelId = null;
            if (label is not null)
            {
                // The label's name, without regard to case, is the member's to resolve; the tables hold its id.
                var found = await run.Store.ReadAsync<Outcome<int>>((e, _) => e.State.FindMember(me)?.FindLabel(label) is { } l ? l.Id : Refuse.With(RefusalCode.InvalidInput, $"You have no label '{label}'."),
                    context.RequestAborted);
                if (!found.IsSuccess)
                {
                    return Problems.Refused(found.Refusal);
                }
                labelId = found.Value;
            }
            if (filter is not (null or "all" or "inmail" or "unread" or "snoozed"))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "filter is all, inmail, unread or snoozed.");
            }
            if (offset is not null)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "Pages follow each other by cursor: pass the page's next as cursor (offset is no longer taken).");
            }
            var which = archived == true ? InboxFilter.Archive : filter switch { "inmail" => InboxFilter.InMail, "unread" => InboxFilter.Unread, "snoozed" => InboxFilter.Snoozed, _ => InboxFilter.All };
            InboxPage page;
            try
            {
                // Issue 9: a page of the inbox comes from the tables; only its conversations are read into memory.
                page = await run.Store.InboxAsync(me, which, q, cursor, Math.Clamp(limit ?? 50, 1, CommandStore.MaxInboxPage), context.RequestAborted, labelId);
            }
            catch (FormatException e)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", e.Message);
            }
            return await run.Query<ConversationPage>(context, (e, _) =>
                new ConversationPage([.. page.Pairs.Select(p => e.State.FindConversation(p)).OfType<Domain.Messaging.Conversation>().Select(c => View.Of(c, me, e.State))],
                    page.Total, page.UnreadMessages, page.Next));
        }).Doc("Your inbox (or archive), newest first, 50 a page (next is the cursor of the following page), with unread counts; filter=inmail shows conversations with InMails, q searches names and messages, label= shows those carrying one of your labels");

        api.MapGet("/conversations/{other}", (HttpContext context, Runner run, string other) =>
        {
            var me = context.Who().Member;
            return run.Query<ThreadView>(context, (e, _) => e.State.FindConversation(me, other) is { } c
                ? new ThreadView(View.Brief(e.State.FindMember(other)!), c.IsArchivedFor(me), [.. c.Messages.Select(View.Of)])
                : Refuse.With(RefusalCode.UnknownMember, $"You have no conversation with '{other}'."));
        }).Doc("A conversation's messages, oldest first");

        api.MapPost("/conversations/{other}/read", (HttpContext context, Runner run, string other) =>
            run.Command(context, new MarkRead(context.Who().Member, other), (_, _, read) => new ReadView(read)))
            .Doc("Marks the messages you received in a conversation as read");

        api.MapPut("/conversations/{other}/archived", (HttpContext context, Runner run, string other) =>
            run.Command(context, (ArchiveBody b, Principal who) => new Archive(who.Member, other, b.Archived),
                (e, _, conversation) => View.Of(conversation, context.Who().Member, e.State)))
            .DocIn<ArchiveBody>("Moves a conversation into or out of your archive");
    }
}
