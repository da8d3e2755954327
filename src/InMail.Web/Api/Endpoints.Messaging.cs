using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Storage;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>The API: sending, quotes, responses, conversations and the inbox.</summary>
public static partial class Endpoints
{
    private static void MapMessaging(RouteGroupBuilder api)
    {
        api.MapPost("/quotes", async (HttpContext context, Runner run) =>
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
            return await run.Query(context, (e, now) => e.Quote(now, new Draft(me, body.To, body.Subject, body.Body, body.Template) { Attachments = files.Value }) is var q
                && q.IsSuccess ? View.Of(q.Value) : q.Refusal);
        }).Doc<MessageBody, QuoteView>("What a send would cost and by which path, without sending (the same checks as a send)");

        api.MapPost("/messages", (HttpContext context, Runner run) =>
            run.CommandAsync<MessageBody>(context, async (b, who) =>
                    await Uploads.ResolveAsync(run.Store, who.Member, b.Attachments, context.RequestAborted) is var files && files.IsSuccess
                        ? new Send(who.Member, b.To, b.Subject, b.Body, Template: b.Template, Attachments: files.Value)
                        : files.Refusal,
                (_, _, r) => View.Of((Sent)r), StatusCodes.Status201Created, sent => MessageAt(sent.GetProperty("message"))))
            .Doc<MessageBody, SentView>("Sends a message or an InMail; send an Idempotency-Key to retry safely", StatusCodes.Status201Created);

        api.MapGet("/messages/{message}", (HttpContext context, Runner run, string message) =>
        {
            var me = context.Who().Member;
            return run.Query(context, (e, _) => e.State.FindMessage(message) is { } m && (m.From == me || m.To == me)
                ? View.Of(m)
                : Refuse.With(RefusalCode.UnknownMessage, $"There is no message '{message}' of yours."));
        }).Doc<MessageView>("One of your messages");

        api.MapPost("/messages/{message}/responses", (HttpContext context, Runner run, string message) =>
            run.CommandAsync<RespondBody>(context, async (b, who) =>
                    await Uploads.ResolveAsync(run.Store, who.Member, b.Attachments, context.RequestAborted) is var files && files.IsSuccess
                        ? new Respond(who.Member, message, b.Kind, b.Body, files.Value)
                        : files.Refusal,
                (_, _, r) => View.Of((Responded)r), StatusCodes.Status201Created, responded => MessageAt(responded.GetProperty("response"))))
            .Doc<RespondBody, RespondedView>("Replies to, accepts or declines an InMail sent to you (its credit goes back to the sender)", StatusCodes.Status201Created);

        api.MapPost("/messages/{message}/spam-reports", (HttpContext context, Runner run, string message) =>
            run.Command(context, new ReportSpam(context.Who().Member, message), (_, _, r) => View.Of((Message)r), StatusCodes.Status201Created, MessageAt))
            .Doc<MessageView>("Reports an InMail sent to you as spam", StatusCodes.Status201Created);

        api.MapPut("/messages/{message}/outcome", (HttpContext context, Runner run, string message) =>
            run.Command<OutcomeBody>(context, (b, who) => new MarkOutcome(who.Member, message, b.Outcome),
                (_, _, r) => View.OutcomeOf((Message)r)))
            .Doc<OutcomeBody, OutcomeView>("Marks the outcome of an InMail you sent: positive, meeting-booked, or none to clear (SPEC §9)");

        api.MapGet("/members/{id}/outreach", (HttpContext context, Runner run, string id, string? from, string? to) =>
        {
            var member = Runner.Resolve(id, context.Who());
            if (SelfOrOperator(context, id, "outreach") is { } refused)
            {
                return refused;
            }
            if (!TryOptionalInstant(from, out var start) || !TryOptionalInstant(to, out var end))
            {
                return Task.FromResult<IResult>(Problems.Of(StatusCodes.Status400BadRequest, "invalid-input",
                    "from and to are ISO-8601 instants with an offset, like 2026-03-01T09:00:00Z."));
            }
            // From the tables, as the Results page reads it (decision 014): a member's history never loads into memory.
            return OutreachFromTablesAsync(context, run, member, start, end);
        }).Doc<OutreachView>("Outreach measures over the InMails you sent, with from ≤ sent < to (SPEC §9): rates, reply times, credits, cost per reply");

        static async Task<IResult> OutreachFromTablesAsync(HttpContext context, Runner run, string member, DateTimeOffset? start, DateTimeOffset? end)
        {
            var history = await run.Store.OutreachAsync(member, _ => (start, end), context.RequestAborted);
            return history.IsSuccess ? Results.Json(View.Of(history.Value.Report), ApiJson.Options) : Problems.Refused(history.Refusal);
        }

        api.MapGet("/conversations", async Task<IResult> (HttpContext context, Runner run, string? filter, bool? archived, int? limit, int? offset, string? cursor, string? q, string? label) =>
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
            return await run.Query(context, (e, _) =>
                new ConversationPage([.. page.Pairs.Select(p => e.State.FindConversation(p)).OfType<Domain.Messaging.Conversation>().Select(c => View.Of(c, me, e.State))],
                    page.Total, page.UnreadMessages, page.Next));
        }).Doc<ConversationPage>("Your inbox (or archive), newest first, 50 a page (next is the cursor of the following page), with unread counts; filter=inmail shows conversations with InMails, q searches names and messages, label= shows those carrying one of your labels");

        api.MapGet("/conversations/{other}", (HttpContext context, Runner run, string other) =>
        {
            var me = context.Who().Member;
            return run.Query(context, (e, _) => e.State.FindConversation(me, other) is { } c
                ? new ThreadView(View.Brief(e.State.FindMember(other)!), c.IsArchivedFor(me), [.. c.Messages.Select(View.Of)])
                : Refuse.With(RefusalCode.UnknownMember, $"You have no conversation with '{other}'."));
        }).Doc<ThreadView>("A conversation's messages, oldest first");

        api.MapPost("/conversations/{other}/read", (HttpContext context, Runner run, string other) =>
            run.Command(context, new MarkRead(context.Who().Member, other), (_, _, r) => new ReadView((int)r)))
            .Doc<ReadView>("Marks the messages you received in a conversation as read");

        api.MapPut("/conversations/{other}/archived", (HttpContext context, Runner run, string other) =>
            run.Command<ArchiveBody>(context, (b, who) => new Archive(who.Member, other, b.Archived),
                (e, _, r) => View.Of((Conversation)r, context.Who().Member, e.State)))
            .Doc<ArchiveBody, ConversationView>("Moves a conversation into or out of your archive");
    }
}
