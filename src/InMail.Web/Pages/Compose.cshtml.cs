using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>
/// The cost preview of a message before it is sent: the engine's quote in words ("Free: Open Profile",
/// "1 InMail credit (37 left)") or its refusal, and the content limits of the path it would take.
/// </summary>
public sealed record CostPreview(bool Free, string Text, string? Path, Refusal? Refusal, bool SubjectShown, bool SubjectRequired, int SubjectMax, int BodyMax);

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

    public IReadOnlyList<MemberView> Found { get; private set; } = [];

    public MemberView? Recipient { get; private set; }

    public CostPreview? Preview { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    /// <summary>The server-rendered preview (the "Preview cost" button), for browsers without script.</summary>
    public async Task<IActionResult> OnPostPreviewAsync()
    {
        await LoadAsync();
        return Page();
    }

    /// <summary>The same preview as JSON, for the script that updates it while the member types.</summary>
    public async Task<IActionResult> OnPostQuoteAsync()
    {
        var preview = await QuoteAsync();
        return new JsonResult(preview is null ? null : new
        {
            preview.Free,
            preview.Text,
            preview.Path,
            code = preview.Refusal?.CodeText,
            message = preview.Refusal?.Message,
            steps = preview.Refusal is { } r ? Words.NextSteps(r.Code, To) : [],
            preview.SubjectShown,
            preview.SubjectRequired,
            preview.SubjectMax,
            preview.BodyMax,
        });
    }

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
        var ids = q.Length == 0 ? [] : await Store.SearchMembersAsync(q, me, 20, HttpContext.RequestAborted);
        (Found, Recipient) = await ReadAsync((e, _) =>
        {
            var viewer = e.State.FindMember(me)!;
            MemberView Of(Domain.Network.Member m) => new(m.Id, m.Profile.Name, m.Profile.Headline, m.Profile.Company, m.Profile.TimeZone,
                e.HasWorkingOpenProfile(m), m.InMailEnabled, viewer.Connections.Contains(m.Id), [.. viewer.Groups.Where(m.Groups.Contains)], viewer.Blocked.Contains(m.Id));
            IReadOnlyList<MemberView> found = q.Length == 0 ? [] : [.. ids.Select(e.State.FindMember).OfType<Domain.Network.Member>()
                .Where(m => m.Id != me && (m.Profile.Name.Contains(q, StringComparison.OrdinalIgnoreCase)
                    || (m.Profile.Company?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
                    || (m.Profile.Headline?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)))
                .OrderBy(m => m.Profile.Name, StringComparer.OrdinalIgnoreCase).Take(20).Select(Of)];
            return (found, To is null || e.State.FindMember(To) is not { } r ? null : Of(r));
        });
        Preview = await QuoteAsync();
    }

    /// <summary>
    /// Asks the engine what sending would cost. Blank fields are quoted with a placeholder, so the path and
    /// cost show before the member writes; their own emptiness is refused when they send, beside the field.
    /// </summary>
    private async Task<CostPreview?> QuoteAsync()
    {
        if (string.IsNullOrWhiteSpace(To))
        {
            return null;
        }
        var me = Me;
        var to = To;
        var subject = string.IsNullOrWhiteSpace(Subject) ? "subject" : Subject;
        var body = string.IsNullOrWhiteSpace(Body) ? "body" : Body;
        return await ReadAsync((e, now) =>
        {
            var policy = e.Catalog.Policy;
            var quote = e.Quote(now, new SendRequest(me, to, subject, body));
            if (!quote.IsSuccess)
            {
                return new CostPreview(false, quote.Refusal.Message, null, quote.Refusal, true, true, policy.SubjectMaxLength, policy.InMailBodyMaxLength);
            }
            var q = quote.Value;
            var text = q.Path switch
            {
                SendPath.Message => e.State.AreConnected(me, to) ? "Free: 1st-degree connection" : "Free: they have written to you",
                SendPath.OpenProfile => "Free: Open Profile",
                SendPath.Group => $"Free: shared group ({q.GroupMessagesLeft - 1} of {policy.GroupMessagesPerMonth} left this month)",
                _ => $"1 InMail credit ({q.CreditsAvailable - 1} left)",
            };
            return q.Path switch
            {
                SendPath.Message => new CostPreview(true, text, q.Path.ToName(), null, false, false, 0, policy.MessageBodyMaxLength),
                SendPath.Group => new CostPreview(true, text, q.Path.ToName(), null, true, false, policy.SubjectMaxLength, policy.InMailBodyMaxLength),
                _ => new CostPreview(q.Cost == 0, text, q.Path.ToName(), null, true, true, policy.SubjectMaxLength, policy.InMailBodyMaxLength),
            };
        });
    }
}
