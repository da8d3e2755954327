using InMail.Domain.Commands;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>A label as the manager lists it: its name, how many conversations carry it, and how many of those hold something unread.</summary>
public sealed record LabelRow(string Name, int Conversations, int Unread);

/// <summary>
/// The label manager (SPEC §11): make, rename and delete the member's inbox labels, each of which is a
/// tab of the split inbox. The engine decides what a name may be and how many there may be.
/// </summary>
public sealed class LabelsModel(CommandStore store) : MemberPage(store)
{
    /// <summary>The label a rename or delete is for.</summary>
    [BindProperty]
    public string? Name { get; set; }

    /// <summary>The new label's name, or a renamed label's new name.</summary>
    [BindProperty]
    public string? NewName { get; set; }

    public IReadOnlyList<LabelRow> Labels { get; private set; } = [];

    /// <summary>The most labels a member may have (the policy's number, for the page to say).</summary>
    public int Most { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostCreateAsync() =>
        RunThenRedirectAsync(new CreateLabel(Me, NewName ?? ""), $"Label “{NewName?.Trim()}” made; it is a tab of your inbox.", ShowAgain, "create");

    public Task<IActionResult> OnPostRenameAsync() =>
        RunThenRedirectAsync(new RenameLabel(Me, Name ?? "", NewName ?? ""), $"Label “{Name}” renamed “{NewName?.Trim()}”; its conversations keep it.", ShowAgain,
            Field(Name));

    public Task<IActionResult> OnPostDeleteAsync() =>
        RunThenRedirectAsync(new DeleteLabel(Me, Name ?? ""), $"Label “{Name}” deleted; its conversations stay in your inbox.", ShowAgain, Field(Name));

    /// <summary>The field a refusal about one label is shown beside.</summary>
    public static string Field(string? name) => "label:" + (name ?? "").ToUpperInvariant();

    private async Task<IActionResult> ShowAgain()
    {
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var me = Me;
        var counts = await Store.LabelCountsAsync(me, HttpContext.RequestAborted);
        (Labels, Most) = await ReadAsync((e, _) => ((IReadOnlyList<LabelRow>)[.. e.State.FindMember(me)!.Labels.Select(l =>
            counts.TryGetValue(l.Id, out var c) ? new LabelRow(l.Name, c.Conversations, c.Unread) : new LabelRow(l.Name, 0, 0))],
            e.Catalog.Policy.LabelsPerMember));
    }
}
