using InMail.Domain.Commands;
using InMail.Domain.Outreach;
using InMail.Storage;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>A scheduled send as the list shows it: to whom, when (in both clocks), and how it ended.</summary>
public sealed record ScheduleRow(ScheduledSend Schedule, string RecipientName, string TheirTime);

/// <summary>Scheduled sends (SPEC §10): pending ones first, soonest first, each cancellable; past ones with their outcome.</summary>
public sealed class SchedulesModel(CommandStore store) : MemberPage(store)
{
    [BindProperty]
    public string? Id { get; set; }

    public IReadOnlyList<ScheduleRow> Pending { get; private set; } = [];

    public IReadOnlyList<ScheduleRow> Past { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public Task<IActionResult> OnPostCancelAsync() =>
        RunThenRedirectAsync(new CancelSchedule(Me, Id ?? ""), "Scheduled send cancelled; nothing was sent.", async () =>
        {
            await LoadAsync();
            return Page();
        });

    private async Task LoadAsync()
    {
        var me = Me;
        var rows = await ReadAsync((e, _) => e.State.FindMember(me)!.Schedules.Values.Select(x =>
        {
            var to = e.State.FindMember(x.Draft.To);
            return new ScheduleRow(x, to?.Profile.Name ?? x.Draft.To, MemberTime.LocalAt(x.DueAt, to?.Profile.TimeZone));
        }).ToList());
        Pending = rows.Where(r => r.Schedule.Status == ScheduleStatus.Pending).OrderBy(r => r.Schedule.DueAt).ToList();
        Past = rows.Where(r => r.Schedule.Status != ScheduleStatus.Pending).OrderByDescending(r => r.Schedule.EndedAt).ToList();
    }
}
