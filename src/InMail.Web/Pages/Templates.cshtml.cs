using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Outreach;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>A draft rendered for a recipient and the coach's findings on it, or why it cannot be rendered.</summary>
public sealed record TemplatePreview(string? RecipientName, string? Subject, string? Body, IReadOnlyList<CoachFinding> Findings, Refusal? Refusal)
{
    /// <summary>What the engine answered for a preview (rendered and coached, or refused).</summary>
    public static TemplatePreview Of(string? recipientName, Outcome<CoachReport> report) => report.IsSuccess
        ? new TemplatePreview(recipientName, report.Value.Subject, report.Value.Body, report.Value.Findings, null)
        : new TemplatePreview(recipientName, null, null, [], report.Refusal);

    /// <summary>The preview as JSON, for the script that refreshes it while the member types.</summary>
    public JsonResult Json() => new(new
    {
        recipient = RecipientName,
        subject = Subject,
        body = Body,
        findings = Findings.Select(f => new { f.Code, f.Advice, f.Source }),
        code = Refusal?.CodeText,
        message = Refusal?.Message,
    });
}

/// <summary>
/// Templates (SPEC §10): the member's list, an editor with a preview rendered for a chosen recipient,
/// and the coach's findings beside it. Previews of unsaved text render it as a template would be,
/// through the engine's own rules (the text is checked, then rendered, then coached).
/// </summary>
public sealed class TemplatesModel(CommandStore store) : MemberPage(store)
{
    /// <summary>The template being edited (null: a new one).</summary>
    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    /// <summary>Who the preview is rendered for.</summary>
    [BindProperty(SupportsGet = true)]
    public string? To { get; set; }

    [BindProperty]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Body { get; set; }

    public IReadOnlyList<MessageTemplate> Templates { get; private set; } = [];

    public TemplatePreview? Preview { get; private set; }

    /// <summary>Members the preview can be rendered for: connections first, then people the member has written to.</summary>
    public IReadOnlyList<(string Id, string Name)> Recipients { get; private set; } = [];

    public IReadOnlyList<string> PlaceholderNames => TemplateText.Names;

    public async Task OnGetAsync()
    {
        var (me, id) = (Me, Id);
        var existing = id is null ? null : await ReadAsync((e, _) => e.State.FindMember(me)?.Templates.GetValueOrDefault(id));
        if (existing is not null)
        {
            Subject ??= existing.Subject;
            Body ??= existing.Body;
        }
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var id = (Id ?? "").Trim();
        Id = id;
        return await RunThenRedirectAsync(new SaveTemplate(Me, id, Body ?? "", Subject), $"Template “{id}” saved.", ShowAgain, "body",
            $"/templates?id={Uri.EscapeDataString(id)}{(To is { Length: > 0 } to ? "&to=" + Uri.EscapeDataString(to) : "")}");
    }

    public Task<IActionResult> OnPostDeleteAsync() =>
        RunThenRedirectAsync(new DeleteTemplate(Me, Id ?? ""), $"Template “{Id}” deleted.", ShowAgain, "", "/templates");

    /// <summary>The server-rendered preview (the "Preview" button), for browsers without script.</summary>
    public Task<IActionResult> OnPostPreviewAsync() => ShowAgain();

    /// <summary>The preview as JSON, for the script.</summary>
    public async Task<IActionResult> OnPostRenderAsync() => (await PreviewAsync() ?? new TemplatePreview(null, null, null, [], null)).Json();

    private async Task<IActionResult> ShowAgain()
    {
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var me = Me;
        (Templates, Recipients) = await ReadAsync((e, _) =>
        {
            var member = e.State.FindMember(me)!;
            var people = member.Connections
                .Concat(e.State.ConversationsOf(me).Select(c => c.Pair.Other(me)))
                .Distinct(StringComparer.Ordinal)
                .Select(id => e.State.FindMember(id))
                .OfType<Domain.Network.Member>()
                .Select(m => (m.Id, m.Profile.Name))
                .Take(200)
                .ToList();
            return ((IReadOnlyList<MessageTemplate>)member.Templates.Values.ToList(), (IReadOnlyList<(string, string)>)people);
        });
        To ??= Recipients.Count > 0 ? Recipients[0].Id : null;
        Preview = await PreviewAsync();
    }

    /// <summary>The text in the editor rendered for <see cref="To"/> and coached, by the engine, without saving it.</summary>
    private async Task<TemplatePreview?> PreviewAsync()
    {
        if (string.IsNullOrWhiteSpace(To) || string.IsNullOrWhiteSpace(Body))
        {
            return null;
        }
        var (me, to, subject, body) = (Me, To, Subject, Body);
        return await ReadAsync((e, now) => TemplatePreview.Of(e.State.FindMember(to)?.Profile.Name, e.PreviewTemplate(now, me, to, subject, body)));
    }
}
