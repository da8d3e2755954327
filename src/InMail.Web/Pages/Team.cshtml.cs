using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>A seat and what it spent from the pool this cycle.</summary>
public sealed record SeatLine(string Member, string Name, int SpentThisCycle);

/// <summary>
/// The team: its seats, the pool's lots, each seat's use of the pool this cycle, and the seat cap.
/// The admin manages seats and the cap here; a seat sees the same, read only.
/// </summary>
public sealed class TeamModel(CommandStore store) : MemberPage(store)
{
    [BindProperty]
    public string? Seat { get; set; }

    [BindProperty]
    public int? SeatCap { get; set; }

    public TeamView? Team { get; private set; }

    public string PlanName { get; private set; } = "";

    public IReadOnlyList<SeatLine> Seats { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>Whether the signed-in member is the team's admin (and gets the forms).</summary>
    public bool IsAdmin { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        SeatCap = Team?.SeatCap;
        return Team is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostAddSeatAsync() => AdminAsync(team => new AddSeat(team, (Seat ?? "").Trim()), "Seat given.", "seat");

    public async Task<IActionResult> OnPostRemoveSeatAsync(string member, bool confirmed)
    {
        if (!confirmed)
        {
            await LoadAsync();
            if (Team is null || !IsAdmin)
            {
                return NotFound();
            }
            if (Seats.FirstOrDefault(s => s.Member == member) is { } seat)
            {
                Confirm = new ConfirmStep($"Take {seat.Name}'s seat away?",
                    [$"{seat.Name} goes to the free plan now and cannot send paid InMail; their own bought, bonus and refunded credits stay, frozen.",
                     $"The pool keeps its credits; from the team's next cycle it grows for {Seats.Count - 1} seats instead of {Seats.Count}.",
                     "No money is refunded for the rest of this cycle."],
                    "/team?handler=RemoveSeat&member=" + Uri.EscapeDataString(member), [], $"Confirm: remove {seat.Name}", "/team");
                return Page();
            }
        }
        return await AdminAsync(team => new RemoveSeat(team, member), "Seat taken away.", "");
    }

    /// <summary>Before taking a seat away: what happens, to confirm.</summary>
    public ConfirmStep? Confirm { get; private set; }

    public Task<IActionResult> OnPostSeatCapAsync() => AdminAsync(team => new SetSeatCap(team, SeatCap), SeatCap is null ? "Seat cap removed." : "Seat cap saved.", "seatCap");

    private async Task<IActionResult> AdminAsync(Func<string, Command> command, string done, string field)
    {
        await LoadAsync();
        if (Team is null || !IsAdmin)
        {
            return NotFound(); // as the API answers a seat that tries to manage: the admin's forms do not exist for it
        }
        return await RunThenRedirectAsync(command(Team.Id), done, async () =>
        {
            await LoadAsync();
            return Page();
        }, field);
    }

    /// <summary>Only the team's seats see this page; anyone else gets "not found", as the API answers.</summary>
    private async Task LoadAsync()
    {
        var me = Me;
        var loaded = await ReadAsync((e, now) =>
        {
            var m = e.State.FindMember(me)!;
            if (e.State.FindTeam(m.TeamId) is not { } team || !team.Seats.Contains(me))
            {
                return null;
            }
            e.CatchUp(now, team);
            var seats = team.Seats.Select(s => new SeatLine(s, e.State.FindMember(s)?.Profile.Name ?? s, team.PoolSpentThisCycle(s))).ToList();
            return new { Team = View.Of(team), Plan = team.Plan.Name, Seats = seats, Now = now, IsAdmin = team.Admin == me };
        });
        if (loaded is not null)
        {
            (Team, PlanName, Seats, Now, IsAdmin) = (loaded.Team, loaded.Plan, loaded.Seats, loaded.Now, loaded.IsAdmin);
        }
    }
}
