using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>Compose: find a recipient, write, see what it costs, send.</summary>
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

    /// <summary>The template picked to fill the fields (rendered for the recipient, then editable).</summary>
    [BindProperty]
    public string? Template { get; set; }

    public IReadOnlyList<Domain.Outreach.MessageTemplate> Templates { get; private set; } = [];

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
        var to = To;
        var outcome = await RunAsync(new Send(Me, to, Subject, Body), (e, now, r) =>
        {
            var sent = (Sent)r;
            return sent.Quote.Cost == 0
                ? $"Sent to {e.State.FindMember(sent.Message.To)?.Profile.Name}: free ({Words.Path(sent.Message.Path.ToName())})."
                : $"InMail sent: 1 credit spent, {e.Credits(now, sent.Message.From).Value.Usable} left.";
        });
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal);
            return await ShowAgain();
        }
        Flash = (string)outcome.Value;
        return Redirect("/inbox/" + Uri.EscapeDataString(to));
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
            var recipient = To is null || e.State.FindMember(To) is not { } r ? null : MemberSearch.View(e, me, r);
            return (MemberSearch.Find(e, me, candidates), recipient, recipient is null ? null : MemberTime.LocalNow(now, recipient.TimeZone),
                (IReadOnlyList<Domain.Outreach.MessageTemplate>)(e.State.FindMember(me)?.Templates.Values.ToList() ?? []));
        });
        Preview = await QuoteAsync();
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
