using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>Compose: find a recipient, write, attach files, see what it costs, send.</summary>
[RequestSizeLimit(FileForms.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = FileForms.MaxRequestBytes)]
public sealed class ComposeModel(CommandStore store) : MemberPage(store)
{
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    /// <summary>Files to attach (SPEC §11): at most three, judged by their bytes.</summary>
    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>The template picked to fill the fields (rendered for the recipient, then editable).</summary>
    [BindProperty]
    public string? Template { get; set; }

    public IReadOnlyList<Domain.Outreach.MessageTemplate> Templates { get; private set; } = [];

    /// <summary>When to send: now, at (an instant in the member's own time zone), or best (the recipient's best window).</summary>
    [BindProperty]
    public string? When { get; set; }

    /// <summary>The local date and time for "at", as a datetime-local field gives it, in the member's time zone.</summary>
    [BindProperty]
    public string? SendAtLocal { get; set; }

    /// <summary>When the recipient's next best window opens (SPEC §10), in the member's own time and in the recipient's.</summary>
    public (DateTimeOffset At, string Theirs)? BestWindowOpens { get; private set; }

    public IReadOnlyList<MemberView> Found { get; private set; } = [];

    public MemberView? Recipient { get; private set; }

    /// <summary>What the recipient's clock says now ("Tuesday 08:15 (Europe/Paris)"), to judge when to write.</summary>
    public string? RecipientLocalTime { get; private set; }

    public CostPreview? Preview { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    /// <summary>The server-rendered preview (the "Preview cost" button), for browsers without script.</summary>
    public async Task<IActionResult> OnPostPreviewAsync()
    {
        await LoadAsync();
        return Page();
    }

    /// <summary>Fills subject and body with one of the member's templates rendered for the recipient (the engine's rendering).</summary>
    public async Task<IActionResult> OnPostUseTemplateAsync()
    {
        if (!string.IsNullOrWhiteSpace(To) && !string.IsNullOrWhiteSpace(Template))
        {
            var (me, to, template) = (Me, To, Template);
            var rendered = await ReadAsync((e, _) => e.Render(new Draft(me, to, Template: template)));
            if (rendered.IsSuccess)
            {
                (Subject, Body) = (rendered.Value.Request.Subject, rendered.Value.Request.Body);
                ModelState.Clear();
            }
            else
            {
                Show(rendered.Refusal, "template");
            }
        }
        return await ShowAgain();
    }

    /// <summary>The same preview as JSON, for the script that updates it while the member types.</summary>
    public async Task<IActionResult> OnPostQuoteAsync() => SendPreview.Json(await QuoteAsync(), To);

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(To))
        {
            return await ShowAgain();
        }
        if (When is "at" or "best")
        {
            if (Files.Count > 0)
            {
                Show(Refuse.With(RefusalCode.AttachmentRejected, "Files go with a message sent now; a scheduled send carries none."), "files");
                return await ShowAgain();
            }
            return await ScheduleAsync();
        }
        var files = await KeepFilesAsync(Files);
        if (!files.IsSuccess)
        {
            Show(files.Refusal, "files");
            return await ShowAgain();
        }
        var to = To;
        var outcome = await RunAsync(new Send(Me, to, Subject, Body, Attachments: files.Value), (e, now, sent) =>
            sent.Quote.Cost == 0
                ? $"Sent to {e.State.FindMember(sent.Message.To)?.Profile.Name}: free ({Words.Path(sent.Message.Path.ToName())})."
                : $"InMail sent: 1 credit spent, {e.CreditsLeft(now, sent.Message.From).Value} left.");
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal);
            return await ShowAgain();
        }
        Flash = outcome.Value;
        return Redirect("/inbox/" + Uri.EscapeDataString(to));
    }

    /// <summary>Schedules the draft (SPEC §10) for the instant the member picked in their own time zone, or for the recipient's best window.</summary>
    private async Task<IActionResult> ScheduleAsync()
    {
        string? sendAt = null;
        if (When == "at")
        {
            if (!DateTime.TryParse(SendAtLocal, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var local))
            {
                Show(Refuse.With(RefusalCode.InvalidInput, "Pick the date and time to send at."), "when");
                return await ShowAgain();
            }
            sendAt = Domain.Time.UtcCalendar.FromWallClock(local, Time.Zone).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        }
        var id = "send-" + Guid.NewGuid().ToString("N")[..10];
        var outcome = await RunAsync(new ScheduleSend(id, Me, To!, Subject, Body, SendAt: sendAt, Window: When == "best" ? "best" : null),
            (_, _, scheduled) => scheduled.Status == Domain.Outreach.ScheduleStatus.Pending
                ? $"Scheduled for {Time.When(scheduled.DueAt)}. It is decided then, as a send made then: see Scheduled."
                : $"Their best window is open now, so it went: {scheduled.Status.ToString().ToLowerInvariant()}.");
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, Words.FieldOf(outcome.Refusal.Code) is { Length: > 0 } field ? field : "when");
            return await ShowAgain();
        }
        Flash = outcome.Value;
        return Redirect("/schedules");
    }

    private async Task<IActionResult> ShowAgain()
    {
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var me = Me;
        var q = (Q ?? "").Trim();
        var candidates = await MemberSearch.CandidatesAsync(Store, me, q, HttpContext.RequestAborted);
        (Found, Recipient, RecipientLocalTime, Templates) = await ReadAsync((e, now) =>
        {
            var recipient = To is null || e.MemberAt(now, To) is not { } r ? null : MemberSearch.View(e, me, r);
            return (MemberSearch.Find(e, now, me, candidates), recipient, recipient is null ? null : MemberTime.LocalNow(now, recipient.TimeZone),
                (IReadOnlyList<Domain.Outreach.MessageTemplate>)(e.State.FindMember(me)?.Templates.Values.ToList() ?? []));
        });
        Preview = await QuoteAsync();
        if (Recipient is { } who)
        {
            var opens = Domain.Outreach.BestWindow.Next(Time.Now, who.TimeZone);
            BestWindowOpens = (opens, MemberTime.LocalAt(opens, who.TimeZone));
        }
    }

    private async Task<CostPreview?> QuoteAsync()
    {
        if (string.IsNullOrWhiteSpace(To))
        {
            return null;
        }
        var (me, to, subject, body) = (Me, To, Subject, Body);
        return await ReadAsync((e, now) => SendPreview.Of(e, now, me, to, subject, body));
    }
}
