using InMail.Domain.Content;
using InMail.Domain.Credits;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Time;

namespace InMail.Domain;

/// <summary>What a member asks to send: to whom, and the text; <paramref name="Template"/> names the template it was rendered from, if any.</summary>
/// <param name="From">The sender.</param>
/// <param name="To">The recipient.</param>
/// <param name="Subject">The subject as it would go out, if any.</param>
/// <param name="Body">The body as it would go out.</param>
/// <param name="Template">The id of the sender's template the text was rendered from; null for typed text.</param>
public sealed record SendRequest(string From, string To, string? Subject, string? Body, string? Template = null)
{
    /// <summary>The files the message carries (SPEC §11), as the service stored them.</summary>
    public IReadOnlyList<Attachment>? Attachments { get; init; }
}

/// <summary>
/// The answer to "what would this send cost?": the path, the cost, and what a person needs to judge
/// it (group messages left this month, credits left, the lot the credit would come from).
/// </summary>
/// <param name="Path">The path the send takes (SPEC §4).</param>
/// <param name="Cost">Credits it costs: 1 for a paid InMail, 0 otherwise.</param>
/// <param name="GroupMessagesLeft">Free group messages the sender has left this month, on the group path; null otherwise.</param>
/// <param name="CreditsAvailable">Credits the sender can spend before this send, for a paid InMail; null otherwise.</param>
/// <param name="ChargedLot">
/// The lot the credit comes from (earliest expiry first, own lots and the pool together); null for a free send.
/// </param>
public sealed record Quote(
    SendPath Path,
    int Cost,
    int? GroupMessagesLeft,
    int? CreditsAvailable,
    Lot? ChargedLot);

/// <summary>A message that was sent, with the quote it was sent under.</summary>
/// <param name="Message">The message as recorded.</param>
/// <param name="Quote">The path and cost it was sent under.</param>
public sealed record Sent(Message Message, Quote Quote);

/// <summary>A response and the credits it brought back to the InMails' sender.</summary>
/// <param name="Response">The response, itself a message from the recipient.</param>
/// <param name="InMail">The message responded to.</param>
/// <param name="CreditsRefunded">
/// Credits the response brought back to the sender (SPEC §3); 0 when no InMail of theirs here was waiting for a
/// response.
/// </param>
public sealed record Responded(Message Response, Message InMail, int CreditsRefunded);

public sealed partial class InMailEngine
{
    /// <summary>Which path a send takes and what it costs, or the refusal; changes nothing.</summary>
    public Outcome<Quote> Quote(DateTimeOffset now, SendRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Decide(now, request);
    }

    /// <summary>The content limits of a send on <paramref name="path"/> (SPEC §5): what a form shows beside its fields.</summary>
    public ContentLimits LimitsOf(SendPath path) => ContentLimits.Of(ContentLimits.KindOf(path), Policy);

    /// <summary>Sends: decides exactly as <see cref="Quote(DateTimeOffset, SendRequest)"/> does, then records the message and takes the credit.</summary>
    public Outcome<Sent> Send(DateTimeOffset now, SendRequest request, string? messageId = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (messageId is not null && (!Identifiers.IsValid(messageId) || State.MessageExists(messageId)))
        {
            return Refuse.With(RefusalCode.InvalidInput, Identifiers.IsValid(messageId) ? $"A message '{messageId}' already exists." : Identifiers.Rule("message id"));
        }
        var decided = Decide(now, request);
        if (!decided.IsSuccess)
        {
            return decided.Refusal;
        }
        var quote = decided.Value;
        var s = State.LoadedMember(request.From);
        var r = State.LoadedMember(request.To);
        var id = messageId ?? NewMessageId();
        Charge? charge = null;
        if (quote.ChargedLot is { } lot)
        {
            var wallet = State.WalletOf(lot.Wallet);
            wallet.Spend(now, lot, id, lot.Wallet.Owner == WalletOwner.Team ? s.Id : null);
            if (lot.Wallet.Owner == WalletOwner.Team)
            {
                State.LoadedTeam(lot.Wallet.Id).CountPoolSpend(s.Id);
            }
            charge = new Charge(lot.Wallet, lot.Id, now);
            s.WatchRefund(now + TimeSpan.FromDays(Policy.RefundWindowDays) - NotificationLead, id, r.Id);
        }
        var subject = quote.Path == SendPath.Message || TextRules.IsBlank(request.Subject) ? null : request.Subject;
        var message = new Message(id, s.Id, r.Id, quote.Path, subject, request.Body!, now, charge, null, request.Template);
        message.Attach(request.Attachments);
        switch (quote.Path)
        {
            case SendPath.InMail or SendPath.OpenProfile:
                s.InMailsSent.Add(now);
                r.InMailsReceived.Add(now);
                break;
            case SendPath.Group:
                s.GroupMessagesSent.Add(now);
                break;
        }
        Write(now, message);
        return new Sent(message, quote);
    }

    /// <summary>SPEC §4's path for a send from <paramref name="s"/> to <paramref name="r"/> now, before any limit or credit is looked at.</summary>
    private SendPath PathOf(DateTimeOffset now, Member s, Member r)
    {
        var conversation = State.FindConversation(s.Id, r.Id);
        var groupLeft = Policy.GroupMessagesPerMonth - s.GroupMessagesSent.CountIn(now);
        return s.Connections.Contains(r.Id) || conversation?.HasWritten(r.Id) == true ? SendPath.Message
            : HasWorkingOpenProfile(r) ? SendPath.OpenProfile
            : r.GroupMessagesEnabled && groupLeft > 0 && InMailState.ShareGroup(s, r) ? SendPath.Group
            : SendPath.InMail;
    }

    private Outcome<Quote> Decide(DateTimeOffset now, SendRequest request)
    {
        var pair = Reachable(request.From, "sender", request.To, "recipient", "Members cannot message themselves.");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (s, r) = pair.Value;
        CatchUp(now, s);
        CatchUp(now, r);
        var conversation = State.FindConversation(s.Id, r.Id);
        var groupLeft = Policy.GroupMessagesPerMonth - s.GroupMessagesSent.CountIn(now);
        var path = PathOf(now, s, r);

        if (TextRules.Check(ContentLimits.KindOf(path), request.Subject, request.Body, Policy) is { } bad)
        {
            return bad;
        }
        if (AttachmentRules.Check(request.Attachments, Policy) is { } rejected)
        {
            return rejected;
        }
        switch (path)
        {
            case SendPath.Message:
                return new Quote(path, 0, null, null, null);
            case SendPath.Group:
                return s.IsRestrictedAt(now)
                    ? Restricted(s)
                    : new Quote(path, 0, groupLeft, null, null);
        }

        if (s.IsRestrictedAt(now))
        {
            return Restricted(s);
        }
        var paid = path == SendPath.InMail;
        var plan = PlanOf(s);
        if (paid && !plan.Paid)
        {
            return Refuse.With(RefusalCode.InMailRequiresPaidPlan, $"{r.Profile.Name} is not a connection, has no Open Profile and shares no group with you: that takes a paid InMail, which needs a paid plan. Connect instead, or subscribe.");
        }
        if (!r.InMailEnabled)
        {
            return Refuse.With(RefusalCode.RecipientUnavailable, $"{r.Profile.Name} does not accept InMail. Send a connection request instead.");
        }
        if (conversation is not null && conversation.InMailsSinceOtherWrote(s.Id) >= Policy.ThreadInMailLimit)
        {
            return Refuse.With(RefusalCode.ThreadLimitReached, $"You already sent {Policy.ThreadInMailLimit} InMails to {r.Profile.Name} without an answer; wait for a response.");
        }
        var day = TimeSpan.FromHours(Policy.DailyWindowHours);
        if (s.InMailsSent.CountWithin(now, day) >= plan.DailyInMailLimit)
        {
            var at = s.InMailsSent.FreeAgainAt(now, day, plan.DailyInMailLimit);
            var (name, limit) = (plan.Name, plan.DailyInMailLimit);
            return Refuse.Composed(RefusalCode.DailyLimitReached, () => $"{name} allows {limit} InMails in 24 hours; the next can go at {(at is { } t ? UtcCalendar.Format(t) : "a later time")}.");
        }
        var week = TimeSpan.FromDays(Policy.RecipientWindowDays);
        if (r.InMailsReceived.CountWithin(now, week) >= Policy.RecipientInMailLimit)
        {
            return Refuse.With(RefusalCode.RecipientLimitReached, $"{r.Profile.Name} has received {Policy.RecipientInMailLimit} InMails this week; try again in a few days.");
        }
        if (!paid)
        {
            return new Quote(path, 0, null, null, null);
        }
        return ChooseLot(now, s);
    }

    private static Refusal Restricted(Member s) => Refuse.With(
        RefusalCode.SenderRestricted,
        $"After spam reports, InMail, open-profile and group messages are suspended until {UtcCalendar.Format(s.RestrictedUntil!.Value)}. Messages to connections still work.");

    /// <summary>The lot a paid InMail takes its credit from: earliest expiry across own lots and the pool (within the seat cap).</summary>
    private Outcome<Quote> ChooseLot(DateTimeOffset now, Member s)
    {
        var own = FirstWithCredit(s.Wallet, now);
        Lot? pool = null;
        var seatCapped = false;
        var team = State.FindTeam(s.TeamId);
        if (team is not null)
        {
            seatCapped = team.SeatCap is { } cap && team.PoolSpentThisCycle(s.Id) >= cap;
            if (!seatCapped)
            {
                pool = FirstWithCredit(team.Pool, now);
            }
        }
        var lot = own is null ? pool : pool is null ? own : Lot.SpendingOrder(own, pool) <= 0 ? own : pool;
        if (lot is null)
        {
            return seatCapped
                ? Refuse.With(RefusalCode.SeatCapReached, $"Your team's admin caps each seat at {team!.SeatCap} pool credits a cycle, and you used them; the cap resets at the team's next cycle.")
                : Refuse.With(RefusalCode.NoCredits, "You have no InMail credits left. Buy a pack, or wait for your next monthly grant.");
        }
        return new Quote(SendPath.InMail, 1, null, UsableCredits(now, s), lot);
    }

    private static Lot? FirstWithCredit(Wallet wallet, DateTimeOffset now)
    {
        foreach (var lot in wallet.LotsHoldingCredits)
        {
            if (lot.Remaining > 0 && lot.IsLiveAt(now))
            {
                return lot;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- responding

    /// <summary>
    /// The recipient responds to a message: reply (any message), accept or decline (InMails only).
    /// The response is itself a message, and as the recipient's first write it refunds the sender.
    /// </summary>
    public Outcome<Responded> Respond(DateTimeOffset now, string memberId, string messageId, ResponseKind kind, string? body,
        IReadOnlyList<Attachment>? attachments = null)
    {
        var target = ResponseTarget(memberId, messageId, needsInMail: kind != ResponseKind.Reply);
        if (!target.IsSuccess)
        {
            return target.Refusal;
        }
        var (responder, inmail) = target.Value;
        var sender = State.LoadedMember(inmail.From);
        if (State.IsBlockedEitherWay(responder, sender))
        {
            return Refuse.With(RefusalCode.Blocked, "One of these members blocked the other.");
        }
        if (kind == ResponseKind.Reply || !TextRules.IsBlank(body))
        {
            if (TextRules.Check(TextKind.Message, null, body, Policy) is { } bad)
            {
                return bad;
            }
        }
        if (AttachmentRules.Check(attachments, Policy) is { } rejected)
        {
            return rejected;
        }
        CatchUp(now, responder);
        CatchUp(now, sender);
        var text = TextRules.IsBlank(body) ? "" : body!;
        var response = new Message(NewMessageId(), responder.Id, sender.Id, SendPath.Message, null, text, now, null, kind);
        response.Attach(attachments);
        var refunded = Write(now, response, kind);
        inmail.MarkRead(now);
        return new Responded(response, inmail, refunded);
    }

    /// <summary>The recipient reports an InMail as spam; enough reports suspend the sender (SPEC §6).</summary>
    public Outcome<Message> ReportSpam(DateTimeOffset now, string memberId, string messageId)
    {
        var target = ResponseTarget(memberId, messageId, needsInMail: true);
        if (!target.IsSuccess)
        {
            return target.Refusal;
        }
        var inmail = target.Value.Message;
        if (inmail.ReportedSpamAt is not null)
        {
            return inmail; // one report per InMail: reporting again is answered with the first report
        }
        var sender = State.LoadedMember(inmail.From);
        inmail.MarkReported(now);
        NoteStepMessage(inmail);
        sender.SpamReports.Add(now);
        var window = TimeSpan.FromDays(Policy.SpamWindowDays);
        var reports = sender.SpamReports.CountWithin(now, window);
        var sent = sender.InMailsSent.CountWithin(now, window);
        if (reports >= Policy.SpamMinReports && checked(reports * 100) >= checked(sent * Policy.SpamMinSharePercent))
        {
            sender.Restrict(UtcCalendar.AddDays(now, Policy.SpamSuspensionDays));
        }
        return inmail;
    }

    private Outcome<(Member Member, Message Message)> ResponseTarget(string memberId, string messageId, bool needsInMail)
    {
        // Someone outside the conversation is told what they would be told of an id no message has,
        // word for word: ids are sequential, and a different answer would tell them the message exists.
        var message = State.FindMessage(messageId);
        var member = State.FindMember(memberId);
        if (message is null || member is null || (message.To != member.Id && message.From != member.Id))
        {
            return Refuse.With(RefusalCode.UnknownMessage, $"There is no message '{messageId}' of yours.");
        }
        if (message.To != member.Id)
        {
            return Refuse.With(RefusalCode.NotTheRecipient, "Only the recipient of a message can respond to it or report it.");
        }
        if (needsInMail && !message.IsInMail)
        {
            return Refuse.With(RefusalCode.NotAnInMail, "Accept, decline and spam reports apply to InMails only.");
        }
        return (member, message);
    }

    /// <summary>
    /// Records a message in its conversation. When this is the writer's first write since the other
    /// sent them InMails, it is their response: those InMails are marked answered and every credit
    /// spent on them within the refund window comes back. Returns the credits refunded.
    /// </summary>
    private int Write(DateTimeOffset now, Message message, ResponseKind? kind = null)
    {
        var pair = new MemberPair(message.From, message.To);
        var conversation = State.FindConversation(pair);
        if (conversation is null)
        {
            conversation = new Conversation(pair, now);
            State.ConversationIndex.Add(pair, conversation);
            Index(message.From, conversation);
            Index(message.To, conversation);
        }
        else
        {
            // Activity is the inbox's sort key: take the conversation out before it changes.
            foreach (var member in (ReadOnlySpan<string>)[message.From, message.To])
            {
                if (conversation.IsActiveFor(member))
                {
                    State.InboxOf(member).Remove(conversation, member);
                }
            }
        }
        var awaiting = conversation.AwaitingResponse(message.To).ToList();
        conversation.Add(message);
        State.MessageIndex.Add(message.Id, (conversation, message));
        NoteEnrollmentResponse(message);
        var refunded = awaiting.Count == 0 ? 0 : Refund(now, awaiting, message.From, kind ?? ResponseKind.Reply);
        // SPEC §11: the other member writing ends a snooze at once and cancels a reminder set "unless they reply".
        conversation.Snooze(message.To, null);
        if (conversation.ReminderFor(message.To) is { UnlessReply: true } reminder && message.SentAt >= reminder.SetAt)
        {
            conversation.SetReminder(message.To, null);
        }
        foreach (var member in (ReadOnlySpan<string>)[message.From, message.To])
        {
            conversation.SetArchived(member, false);
            if (conversation.IsActiveFor(member))
            {
                State.InboxOf(member).Add(conversation, member);
                EnforceInboxCap(member, conversation);
            }
        }
        return refunded;
    }

    private void Index(string member, Conversation conversation) => State.ConversationPairsOf(member).Add(conversation.Pair);

    /// <summary>
    /// Refunds the credits of <paramref name="inmails"/> spent at most the refund window before now:
    /// to the lot each came from while it is live, otherwise into one new refund lot per wallet.
    /// </summary>
    private int Refund(DateTimeOffset now, List<Message> inmails, string responder, ResponseKind kind)
    {
        var window = TimeSpan.FromDays(Policy.RefundWindowDays);
        var orphans = new Dictionary<WalletId, List<Message>>();
        var refunded = 0;
        foreach (var inmail in inmails)
        {
            inmail.MarkResponded(kind, now);
            if (inmail.Charge is not { } charge || inmail.RefundedAt is not null || now - charge.SpentAt > window)
            {
                continue;
            }
            // The credit's wallet may belong to a team the sender has since left: bring it up to now
            // before writing, so its ledger stays in time order.
            CatchUp(now, charge.Wallet);
            var wallet = State.WalletOf(charge.Wallet);
            var member = charge.Wallet.Owner == WalletOwner.Team ? inmail.From : null;
            // A lot that ended before the wallet was last stored is not in memory, and could not be live anyway.
            if (wallet.FindLot(charge.LotId) is { } lot && lot.IsLiveAt(now))
            {
                wallet.RefundInto(now, lot, inmail.Id, member);
            }
            else
            {
                if (!orphans.TryGetValue(charge.Wallet, out var list))
                {
                    orphans[charge.Wallet] = list = [];
                }
                list.Add(inmail);
            }
            inmail.MarkRefunded(now);
            refunded++;
        }
        foreach (var inmail in inmails)
        {
            NoteStepMessage(inmail);
        }
        foreach (var (walletId, list) in orphans)
        {
            var note = $"{list.Count} InMail{(list.Count == 1 ? "" : "s")} answered by {responder}: {string.Join(", ", list.Select(m => m.Id))}";
            State.WalletOf(walletId).Create(now, LotSource.Refund, list.Count, UtcCalendar.AddDays(now, Policy.RefundLotLifetimeDays), note, list[0].Id, walletId.Owner == WalletOwner.Team ? list[0].From : null);
        }
        return refunded;
    }

    private string NewMessageId()
    {
        if (State.MessageNumbers is { } numbers)
        {
            return $"msg-{numbers()}";
        }
        string id;
        do
        {
            id = $"msg-{Ids.NextMessage()}";
        }
        while (State.MessageExists(id));
        return id;
    }

    // ---------------------------------------------------------------- inbox

    /// <summary>Marks every message to <paramref name="memberId"/> in their conversation with <paramref name="otherId"/> as read.</summary>
    public Outcome<int> MarkRead(DateTimeOffset now, string memberId, string otherId)
    {
        var pair = Members(memberId, "reader", otherId, "other member");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var conversation = State.FindConversation(memberId, otherId);
        if (conversation is null)
        {
            return 0;
        }
        var marked = conversation.IsMarkedUnreadFor(memberId) ? 1 : 0;
        conversation.SetMarkedUnread(memberId, false);
        foreach (var m in conversation.Messages)
        {
            if (m.To == memberId && m.ReadAt is null)
            {
                m.MarkRead(now);
                marked++;
            }
        }
        return marked;
    }

    /// <summary>Moves a conversation in or out of the member's archive. Nothing is ever deleted.</summary>
    public Outcome<Conversation> Archive(DateTimeOffset now, string memberId, string otherId, bool archived)
    {
        var pair = Members(memberId, "member", otherId, "other member");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var conversation = State.FindConversation(memberId, otherId);
        if (conversation is null)
        {
            // As snoozing and labelling say it: the conversation is what is missing, not something in the request's shape.
            return Refuse.With(RefusalCode.UnknownConversation, $"You have no conversation with {pair.Value.B.Profile.Name}.");
        }
        var wasActive = conversation.IsActiveFor(memberId);
        if (conversation.SetArchived(memberId, archived))
        {
            if (wasActive)
            {
                State.InboxOf(memberId).Remove(conversation, memberId);
            }
            if (conversation.IsActiveFor(memberId))
            {
                State.InboxOf(memberId).Add(conversation, memberId);
                EnforceInboxCap(memberId, conversation);
            }
        }
        return conversation;
    }

    /// <summary>Past the inbox cap, the least recently active conversation moves to the archive.</summary>
    private void EnforceInboxCap(string member, Conversation keep)
    {
        var inbox = State.InboxOf(member);
        while (inbox.Count > Policy.InboxActiveConversations && inbox.OldestExcept(keep.Pair) is { } pair)
        {
            var oldest = State.FindConversation(pair) ?? throw new InvalidOperationException($"conversation {pair} in {member}'s inbox is missing");
            inbox.Remove(oldest, member);
            oldest.SetArchived(member, true);
            State.NoteArchivedByCap(pair);
        }
    }
}
