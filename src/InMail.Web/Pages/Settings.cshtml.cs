using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>Settings: Open Profile (paid plans only), InMail on or off, group messages on or off.</summary>
public sealed class SettingsModel(CommandStore store) : MemberPage(store)
{
    [BindProperty]
    public bool OpenProfile { get; set; }

    [BindProperty]
    public bool InMail { get; set; }

    [BindProperty]
    public bool GroupMessages { get; set; }

    public SettingsView Current { get; private set; } = null!;

    public bool Paid { get; private set; }

    public int GroupMessagesPerMonth { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        (OpenProfile, InMail, GroupMessages) = (Current.OpenProfile, Current.InMail, Current.GroupMessages);
    }

    public Task<IActionResult> OnPostAsync() =>
        RunThenRedirectAsync(new ChangeSettings(Me, OpenProfile, InMail, GroupMessages), "Settings saved.", async () =>
        {
            await LoadAsync();
            return Page();
        }, "openProfile");

    private async Task LoadAsync()
    {
        var me = Me;
        (Current, Paid, GroupMessagesPerMonth) = await ReadAsync((e, now) =>
        {
            var m = e.MemberAt(now, me)!;
            return (new SettingsView(m.OpenProfile, m.InMailEnabled, m.GroupMessagesEnabled, e.PlanOf(m).Id), e.IsPaid(m), e.Catalog.Policy.GroupMessagesPerMonth);
        });
    }
}
