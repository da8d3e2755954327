using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>Starting a team on a team plan: the member who starts it is its admin and holds its first seat; the others named are offered one.</summary>
public sealed class TeamNewModel(CommandStore store) : MemberPage(store)
{
    private static readonly char[] Separators = [',', ' ', ';', '\n', '\r', '\t'];

    [BindProperty(SupportsGet = true)]
    public string? Plan { get; set; }

    [BindProperty]
    public string Billing { get; set; } = "monthly";

    [BindProperty]
    public string? TeamId { get; set; }

    [BindProperty]
    public string? OtherSeats { get; set; }

    [BindProperty]
    public int? SeatCap { get; set; }

    public IReadOnlyList<PlanView> TeamPlans { get; private set; } = [];

    /// <summary>The team the member already belongs to, if any: one plan per member, so no second team.</summary>
    public string? CurrentTeam { get; private set; }

    /// <summary>The member's own paid plan, which a seat would conflict with.</summary>
    public string? PersonalPlan { get; private set; }

    public async Task OnGetAsync()
    {
        await LoadAsync();
        Plan ??= TeamPlans.FirstOrDefault()?.Id;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The others named are offered a seat: nobody is put on a team without saying yes.
        List<string> offers = [.. (OtherSeats ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries).Where(s => s != Me).Distinct(StringComparer.Ordinal)];
        var id = (TeamId ?? "").Trim();
        var outcome = await RunAsync(new CreateTeam(id, Plan ?? "", [Me], Billing, SeatCap, Me, offers));
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, FieldOf(outcome.Refusal.Code));
            await LoadAsync();
            return Page();
        }
        Flash = $"Team {id} started; its pool has its first credits."
            + (offers.Count == 0 ? "" : $" {offers.Count} member{(offers.Count == 1 ? " was" : "s were")} offered a seat, theirs once they accept.");
        return Redirect("/team");
    }

    /// <summary>
    /// Where a refusal goes. The seats are de-duplicated and include the admin, so what is left of
    /// invalid-input is the id (malformed or taken) or a negative seat cap.
    /// </summary>
    private string FieldOf(RefusalCode code) => code switch
    {
        RefusalCode.UnknownPlan => "plan",
        RefusalCode.BillingNotOffered => "billing",
        RefusalCode.UnknownMember or RefusalCode.TeamSeatConflict => "seats",
        RefusalCode.InvalidInput => SeatCap is < 0 ? "seatCap" : "id",
        _ => "",
    };

    private async Task LoadAsync()
    {
        var me = Me;
        (TeamPlans, CurrentTeam, PersonalPlan) = await ReadAsync((e, now) =>
        {
            var m = e.MemberAt(now, me)!;
            return ((IReadOnlyList<PlanView>)[.. e.Catalog.Plans.Where(p => p.Team).Select(View.Of)], m.TeamId, m.Subscription?.Plan.Name);
        });
    }
}
