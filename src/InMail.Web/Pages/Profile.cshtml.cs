using InMail.Domain.Commands;
using InMail.Domain.Network;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>Profile: the name, headline, company and time zone others see when they search for a recipient.</summary>
public sealed class ProfileModel(CommandStore store) : MemberPage(store)
{
    [BindProperty]
    public string Name { get; set; } = "";

    [BindProperty]
    public string? Headline { get; set; }

    [BindProperty]
    public string? Company { get; set; }

    [BindProperty]
    public string? TimeZone { get; set; }

    /// <summary>The time zones this machine knows, offered as suggestions (any IANA name is accepted).</summary>
    public static IReadOnlyList<string> KnownTimeZones { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId).Select(z => z.Id).Order(StringComparer.Ordinal)];

    public async Task OnGetAsync()
    {
        var me = Me;
        var profile = await ReadAsync((e, _) => e.State.FindMember(me)!.Profile);
        (Name, Headline, Company, TimeZone) = (profile.Name, profile.Headline, profile.Company, profile.TimeZone);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var profile = new Profile(Name ?? "", Blank(Headline), Blank(Company), Blank(TimeZone)?.Trim());
        var outcome = await RunAsync(new UpdateProfile(Me, profile.Name, profile.Headline, profile.Company, profile.TimeZone));
        if (!outcome.IsSuccess)
        {
            // The engine refused it with the API's code; the rules it used say which field is at fault.
            Show(outcome.Refusal, ProfileRules.Check(profile)?.Field ?? "");
            return Page();
        }
        Flash = "Profile saved.";
        return RedirectToPage();
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
