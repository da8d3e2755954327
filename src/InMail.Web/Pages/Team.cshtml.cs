using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>A seat and what it spent from the pool this cycle.</summary>
public sealed record SeatLine(string Member, string Name, int SpentThisCycle);

/// <summary>A seat offered to someone: on the admin's team, who it is for; in a member's list, which team offers it and who its admin is.</summary>
public sealed record OfferLine(string Team, string PlanName, string Member, string MemberName, string AdminName, DateTimeOffset OfferedAt);

/// <summary>
/// The team: its seats, the pool's lots, each seat's use of the pool this cycle, and the seat cap.
/// The admin offers and takes away seats and sets the cap here; a seat sees the same, read only,
/// and may leave. A member offered a seat sees the offer here, to accept or decline.
/// </summary>
public sealed class TeamModel(CommandStore store) : MemberPage(store)
{
    [BindProperty]
    public string? Seat { get; set; }

    [BindProperty]
    public int? SeatCap { get; set; }

    /// <summary>The admin's search for someone to offer a seat: name, company or headline, as Compose finds a recipient.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    /// <summary>Who the search found, as the admin sees them (at most <see cref="MemberSearch.MaxResults"/>).</summary>
    public IReadOnlyList<MemberView> Found { get; private set; } = [];

    public TeamView? Team { get; private set; }

    public string PlanName { get; private set; } = "";

    public IReadOnlyList<SeatLine> Seats { get; private set; } = [];

    /// <summary>Seats the team offered and that wait for an answer (shown to its seats).</summary>
    public IReadOnlyList<OfferLine> Pending { get; private set; } = [];

    /// <summary>Seats other teams offered the signed-in member.</summary>
    public IReadOnlyList<OfferLine> OffersToMe { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>Whether the signed-in member is the team's admin (and gets the forms).</summary>
    public bool IsAdmin { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        await FindAsync();
        SeatCap = Team?.SeatCap;
        return Team is null && OffersToMe.Count == 0 ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostOfferSeatAsync() => AdminAsync(team => new OfferSeat(team, (Seat ?? "").Trim()), "Seat offered: it is theirs once they accept.", "seat");

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

    public async Task<IActionResult> OnPostLeaveAsync()
    {
        await LoadAsync();
        if (Team is null)
        {
            return NotFound();
        }
        return await RunThenRedirectAsync(new LeaveTeam(Team.Id, Me), $"You left team {Team.Id}; your plan is Basic until you choose another.", ShowAgainAsync, "",
            redirectTo: "/plans");
    }

    public Task<IActionResult> OnPostAcceptAsync(string team) =>
        AnswerAsync(new AcceptSeat(team, Me), $"You hold a seat on team {team}: its plan is yours, and your InMails spend from its pool.");

    public Task<IActionResult> OnPostDeclineAsync(string team) => AnswerAsync(new DeclineSeat(team, Me), $"You declined the seat on team {team}.");

    private async Task<IActionResult> AnswerAsync(Command answer, string done)
    {
        var outcome = await RunAsync(answer);
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, "");
            return await ShowAgainAsync();
        }
        Flash = done;
        await LoadAsync();
        return Team is null && OffersToMe.Count == 0 ? Redirect("/inbox") : RedirectToPage();
    }

    private async Task<IActionResult> AdminAsync(Func<string, Command> command, string done, string field)
    {
        await LoadAsync();
        if (Team is null || !IsAdmin)
        {
            return NotFound(); // as the API answers a seat that tries to manage: the admin's forms do not exist for it
        }
        return await RunThenRedirectAsync(command(Team.Id), done, ShowAgainAsync, field);
    }

    private async Task<IActionResult> ShowAgainAsync()
    {
        await LoadAsync();
        await FindAsync();
        return Team is null && OffersToMe.Count == 0 ? NotFound() : Page();
    }

    /// <summary>The admin's search results, from the members table (decision 007), caught up as Compose shows them.</summary>
    private async Task FindAsync()
    {
        if (!IsAdmin || string.IsNullOrWhiteSpace(Q))
        {
            return;
        }
        var me = Me;
        var candidates = await MemberSearch.CandidatesAsync(Store, me, Q, HttpContext.RequestAborted);
        Found = await ReadAsync((e, now) => MemberSearch.Find(e, now, me, candidates));
    }

    /// <summary>Only the team's seats see the team; anyone else gets "not found", as the API answers. Offers to the member show either way.</summary>
    private async Task LoadAsync()
    {
        var me = Me;
        var offering = await Store.TeamsOfferingAsync(me, HttpContext.RequestAborted);
        var loaded = await ReadAsync((e, now) =>
        {
            string NameOf(string id) => e.State.FindMember(id)?.Profile.Name ?? id;
            OfferLine Line(Domain.Credits.Team t, Domain.Credits.SeatOffer o) => new(t.Id, t.Plan.Name, o.Member, NameOf(o.Member), NameOf(t.Admin), o.OfferedAt);

            var m = e.MemberAt(now, me)!;
            var offered = new List<OfferLine>();
            // Caught up first: a team that ended has withdrawn its offers.
            foreach (var t in offering.Select(t => e.TeamAt(now, t)).OfType<Domain.Credits.Team>().ToList())
            {
                if (t.OfferTo(me) is { } offer)
                {
                    offered.Add(Line(t, offer));
                }
            }
            if (e.TeamAt(now, m.TeamId) is not { } team || !team.Seats.Contains(me))
            {
                return new { Team = (TeamView?)null, Plan = "", Seats = (List<SeatLine>)[], Pending = (List<OfferLine>)[], Offered = offered, Now = now, IsAdmin = false };
            }
            var seats = team.Seats.Select(s => new SeatLine(s, NameOf(s), team.PoolSpentThisCycle(s))).ToList();
            var pending = team.Offers.Select(o => Line(team, o)).ToList();
            return new { Team = (TeamView?)View.Of(team), Plan = team.Plan.Name, Seats = seats, Pending = pending, Offered = offered, Now = now, IsAdmin = team.Admin == me };
        });
        (Team, PlanName, Seats, Pending, OffersToMe, Now, IsAdmin) = (loaded.Team, loaded.Plan, loaded.Seats, loaded.Pending, loaded.Offered, loaded.Now, loaded.IsAdmin);
    }
}
