using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages.Inbox;

/// <summary>What the sender of an InMail sees of it: opened, answered, and the refund window.</summary>
public sealed record InMailStatus(DateTimeOffset? OpenedAt, string? Response, DateTimeOffset? RespondedAt, DateTimeOffset? RefundedAt,
    DateTimeOffset? RefundDeadline, bool Paid, string Mark);

/// <summary>One conversation: its messages oldest first; the recipient of an InMail replies, accepts or declines it.</summary>
[RequestSizeLimit(FileForms.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = FileForms.MaxRequestBytes)]
public sealed class ConversationModel(CommandStore store) : MemberPage(store)
{
    /// <summary>Files to attach to the reply or response (SPEC §11).</summary>
    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    [BindProperty]
    public string Kind { get; set; } = "reply";

    [BindProperty]
    public string? Body { get; set; }

    /// <summary>The subject of a follow-up that needs one (an InMail or a group message); prefilled "Re: …".</summary>
    [BindProperty]
    public string? Subject { get; set; }

    /// <summary>What the reply box would send: path, cost and limits, the same quote as Compose.</summary>
    public CostPreview? Preview { get; private set; }

    public string Other { get; private set; } = "";

    public ThreadView? Thread { get; private set; }

    public DateTimeOffset Now { get; private set; }

    /// <summary>For each InMail the signed-in member sent here: what happened to it.</summary>
    public IReadOnlyDictionary<string, InMailStatus> Sent { get; private set; } = new Dictionary<string, InMailStatus>();

    /// <summary>The other member's latest InMail still waiting for the signed-in member's response, if any.</summary>
    public MessageView? Awaiting { get; private set; }

    public int MessageMaxLength { get; private set; }

    /// <summary>Whether the signed-in member has blocked the other.</summary>
    public bool Blocked { get; private set; }

    /// <summary>The member's labels on this conversation, in the order they made them.</summary>
    public IReadOnlyList<string> Labels { get; private set; } = [];

    /// <summary>Every label the member has (the add box suggests them; another name makes a new one).</summary>
    public IReadOnlyList<string> AllLabels { get; private set; } = [];

    /// <summary>The label typed into the add box, kept when the engine refuses it.</summary>
    [BindProperty]
    public string? NewLabel { get; set; }

    /// <summary>When the member's snooze of this conversation ends, if it is snoozed.</summary>
    public DateTimeOffset? SnoozedUntil { get; private set; }

    /// <summary>The member's pending reminder on this conversation, if any.</summary>
    public ConversationReminder? Reminder { get; private set; }

    /// <summary>The snooze menu (the <c>h</c> shortcut's).</summary>
    public WakeMenu SnoozeMenu => new("Snooze", "snooze", Other, Thread!.With.Name, false, Time, new Dictionary<string, string>(StringComparer.Ordinal), RefusalFor("snooze"), "h");

    /// <summary>The reminder menu.</summary>
    public WakeMenu ReminderMenu => new("Remind", "remind", Other, Thread!.With.Name, true, Time, new Dictionary<string, string>(StringComparer.Ordinal), RefusalFor("remind"), "");

    public async Task<IActionResult> OnGetAsync(string other)
    {
        Other = other;
        // Opening a conversation reads it: the sender sees "opened".
        // A conversation brought back by a snooze or reminder is marked unread until it is opened.
        if (await ReadAsync((e, _) => e.State.FindConversation(Me, other) is { } c && (c.UnreadFor(Me) > 0 || c.IsMarkedUnreadFor(Me))))
        {
            await RunAsync(new MarkRead(Me, other));
        }
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostRespondAsync(string other, string message)
    {
        Other = other;
        var files = await KeepFilesAsync(Files);
        if (!files.IsSuccess)
        {
            Show(files.Refusal, "files");
            return await ShowAsync();
        }
        return await RunThenRedirectAsync(new Respond(Me, message, Kind, Body, files.Value),
            Kind switch { "accept" => "You accepted the InMail.", "decline" => "You declined the InMail.", _ => "Reply sent." }, ShowAsync, "body");
    }

    public async Task<IActionResult> OnPostReplyAsync(string other)
    {
        Other = other;
        var files = await KeepFilesAsync(Files);
        if (!files.IsSuccess)
        {
            Show(files.Refusal, "files");
            return await ShowAsync();
        }
        var outcome = await RunAsync(new Send(Me, other, Subject, Body, Attachments: files.Value), (e, now, sent) =>
            sent.Quote.Cost == 0
                ? $"Sent: free ({Words.Path(sent.Message.Path.ToName())})."
                : $"InMail sent: 1 credit spent, {e.CreditsLeft(now, sent.Message.From).Value} left.");
        if (!outcome.IsSuccess)
        {
            // Beside the reply box, not at the top of the page: the path, credit and recipient refusals included.
            Show(outcome.Refusal, Words.FieldOf(outcome.Refusal.Code) is "" or "to" ? "reply" : null);
            return await ShowAsync();
        }
        Flash = outcome.Value;
        return RedirectToPage();
    }

    /// <summary>The reply box's quote as JSON, for the script that updates it while the member types (as on Compose).</summary>
    public async Task<IActionResult> OnPostQuoteAsync(string other)
    {
        var (me, subject, body) = (Me, Subject, Body);
        return SendPreview.Json(await ReadAsync((e, now) => e.State.FindMember(other) is null ? null : SendPreview.Of(e, now, me, other, subject, body)), other);
    }

    public async Task<IActionResult> OnPostArchiveAsync(string other, bool archived)
    {
        Other = other;
        return await RunThenRedirectAsync(new Archive(Me, other, archived), archived ? "Moved to the archive." : "Moved back to the inbox.", ShowAsync);
    }

    public async Task<IActionResult> OnPostBlockAsync(string other, bool blocked)
    {
        Other = other;
        Command command = blocked ? new Block(Me, other) : new Unblock(Me, other);
        return await RunThenRedirectAsync(command, blocked ? "Blocked. They cannot message or invite you." : "Unblocked.", ShowAsync);
    }

    /// <summary>The outcomes a sender may record on an InMail (SPEC §9's positive and meeting-booked rates).</summary>
    public static readonly IReadOnlyList<(string Value, string Label)> Outcomes =
        [(MessagingNames.NoMark, "Not marked"), (SenderMark.Positive.ToName(), "Positive"), (SenderMark.MeetingBooked.ToName(), "Meeting booked")];

    public async Task<IActionResult> OnPostMarkAsync(string other, string message, string outcome)
    {
        Other = other;
        // An outcome that does not parse is refused by the command itself, with the API's code; no flash is shown then.
        var done = !MessagingNames.TryParseMark(outcome, out var mark) ? ""
            : mark switch { SenderMark.Positive => "Marked positive.", SenderMark.MeetingBooked => "Marked: meeting booked.", _ => "Mark cleared." };
        return await RunThenRedirectAsync(new MarkOutcome(Me, message, outcome), done, ShowAsync);
    }

    public async Task<IActionResult> OnPostSpamAsync(string other, string message)
    {
        Other = other;
        return await RunThenRedirectAsync(new ReportSpam(Me, message), "Reported as spam. Thank you.", ShowAsync);
    }

    /// <summary>Puts a label on the conversation (a name the member has no label for makes one) or takes one off.</summary>
    public async Task<IActionResult> OnPostLabelAsync(string other, string? remove)
    {
        Other = other;
        var command = remove is null ? new LabelConversation(Me, other, Add: [NewLabel ?? ""]) : new LabelConversation(Me, other, Remove: [remove]);
        var outcome = await RunAsync(command, (_, _, labels) => labels switch
        {
            [] => "No labels on this conversation now.",
            _ => $"Labels on this conversation: {string.Join(", ", labels.Select(l => $"“{l.Name}”"))}.",
        });
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, "labels");
            return await ShowAsync();
        }
        Flash = outcome.Value;
        return RedirectToPage();
    }

    /// <summary>Snoozes the conversation until the choice's instant in the member's zone: out of the inbox until then, or until they write.</summary>
    public async Task<IActionResult> OnPostSnoozeAsync(string other, string? choice, string? atLocal)
    {
        Other = other;
        var until = WakeChoices.Resolve(Time, choice, atLocal);
        var outcome = until is null
            ? Refuse.With(RefusalCode.InvalidInput, "Pick the date and time to snooze until.")
            : await RunAsync(new SnoozeConversation(Me, other, until), (_, _, snoozed) =>
                $"Snoozed until {Time.Absolute(snoozed.SnoozedUntil(Me)!.Value)}: it comes back on top of your inbox then, or when they write.");
        return await AfterAsync(outcome, "snooze");
    }

    public async Task<IActionResult> OnPostUnsnoozeAsync(string other)
    {
        Other = other;
        return await AfterAsync(await RunAsync(new Unsnooze(Me, other), (_, _, _) => "Back in your inbox."), "snooze");
    }

    /// <summary>"Remind me" at the choice's instant, by default only if the other member has not written by then.</summary>
    public async Task<IActionResult> OnPostRemindAsync(string other, string? choice, string? atLocal, bool unlessReply = true)
    {
        Other = other;
        var at = WakeChoices.Resolve(Time, choice, atLocal);
        var outcome = at is null
            ? Refuse.With(RefusalCode.InvalidInput, "Pick the date and time of the reminder.")
            : await RunAsync(new Remind(Me, other, at, unlessReply), (_, _, reminded) =>
                $"Reminder set for {Time.Absolute(reminded.ReminderFor(Me)!.At)}{(unlessReply ? ", if they have not replied by then" : "")}.");
        return await AfterAsync(outcome, "remind");
    }

    public async Task<IActionResult> OnPostCancelReminderAsync(string other)
    {
        Other = other;
        return await AfterAsync(await RunAsync(new CancelReminder(Me, other), (_, _, _) => "Reminder cancelled."), "remind");
    }

    private async Task<IActionResult> AfterAsync(Outcome<string> outcome, string field)
    {
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, field);
            return await ShowAsync();
        }
        Flash = outcome.Value;
        return RedirectToPage();
    }

    private async Task<IActionResult> ShowAsync()
    {
        var me = Me;
        var found = await ReadAsync((e, now) =>
        {
            if (e.State.FindMember(Other) is not { } other || e.State.FindConversation(me, Other) is not { } c)
            {
                return null;
            }
            var sent = c.Messages.Where(m => m.From == me && m.IsInMail).ToDictionary(m => m.Id, m => new InMailStatus(m.ReadAt, m.Response?.ToName(),
                m.RespondedAt, m.RefundedAt, e.RefundDeadline(m), m.Charge is not null, m.Mark.ToName()), StringComparer.Ordinal);
            var awaiting = c.AwaitingResponse(Other).LastOrDefault();
            var preview = SendPreview.Of(e, now, me, Other, Subject, Body);
            return new
            {
                Thread = new ThreadView(View.Brief(other), c.IsArchivedFor(me), [.. c.Messages.Select(View.Of)]),
                Now = now,
                Sent = sent,
                Awaiting = awaiting is null ? null : View.Of(awaiting),
                Max = e.LimitsOf(SendPath.Message).BodyMaxLength, // a response is a message in the conversation
                Blocked = e.State.FindMember(me)!.Blocked.Contains(Other),
                Labels = (IReadOnlyList<string>)[.. InMailEngine.LabelsOn(c, e.State.FindMember(me)!).Select(l => l.Name)],
                AllLabels = (IReadOnlyList<string>)[.. e.State.FindMember(me)!.Labels.Select(l => l.Name)],
                Preview = preview,
                SnoozedUntil = c.SnoozedUntil(me),
                Reminder = c.ReminderFor(me),
                // A follow-up that takes a subject answers the thread's last one, as mail does.
                Subject = preview.SubjectShown && Subject is null && c.Messages.LastOrDefault(m => m.Subject is not null)?.Subject is { } last
                    ? Words.Cut(last.StartsWith("Re: ", StringComparison.Ordinal) ? last : "Re: " + last, preview.Limits.SubjectMaxLength)
                    : Subject,
            };
        });
        if (found is null)
        {
            return NotFound();
        }
        (Thread, Now, Sent, Awaiting, MessageMaxLength, Blocked, Preview, Subject, Labels, AllLabels) =
            (found.Thread, found.Now, found.Sent, found.Awaiting, found.Max, found.Blocked, found.Preview, found.Subject, found.Labels, found.AllLabels);
        (SnoozedUntil, Reminder) = (found.SnoozedUntil, found.Reminder);
        return Page();
    }
}
