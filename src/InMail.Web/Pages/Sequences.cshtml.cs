using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Outreach;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>One step row of the new-sequence form: the day it runs, its template, and a second template for an A/B test.</summary>
public sealed class StepInput
{
    public int? Day { get; set; }

    public string? Template { get; set; }

    /// <summary>The B variant's template: with it the step is an A/B test, half the recipients getting each.</summary>
    public string? VariantB { get; set; }
}

/// <summary>
/// Sequences (SPEC §10): the member's follow-up sequences with what each has done, and a form to
/// write one: up to the policy's number of steps on its default days, each a template or an A/B
/// pair, in the recipient's best window or not, with an optional budget. The engine checks it.
/// </summary>
public sealed class SequencesModel(CommandStore store) : MemberPage(store)
{
    [BindProperty]
    public string? Id { get; set; }

    [BindProperty]
    public List<StepInput> Steps { get; set; } = [];

    /// <summary>Each step in the recipient's next best window (Tuesday–Thursday, 7–8 or 17–18 their time) rather than at its day's instant.</summary>
    [BindProperty]
    public bool BestWindow { get; set; }

    /// <summary>The budget as typed (blank: none), so a typing slip is told, not dropped.</summary>
    [BindProperty]
    public string? Budget { get; set; }

    public IReadOnlyList<SequenceView> Sequences { get; private set; } = [];

    /// <summary>The member's template ids, for the step pickers.</summary>
    public IReadOnlyList<string> Templates { get; private set; } = [];

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var id = (Id ?? "").Trim();
        Id = id;
        await LoadAsync();
        if (Specs() is not { } specs)
        {
            return Page();
        }
        int? budget = null;
        if (!string.IsNullOrWhiteSpace(Budget))
        {
            if (!int.TryParse(Budget.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var b))
            {
                Show(Refuse.With(RefusalCode.InvalidInput, $"The budget is a whole number of credits, not “{Budget}”; leave it blank for none."), "sequence");
                return Page();
            }
            budget = b;
        }
        return await RunThenRedirectAsync(new SaveSequence(Me, id, specs, BestWindow ? "best" : null, budget),
            $"Sequence “{id}” saved. Enrol recipients below.", ShowAgain, "sequence", $"/sequences/{Uri.EscapeDataString(id)}");
    }

    /// <summary>
    /// The steps as the engine takes them: every row up to the last one with a template, so the
    /// engine's step numbers are the form's (a blank row in between is its to refuse).
    /// </summary>
    private List<SequenceStepSpec>? Specs()
    {
        var last = Steps.FindLastIndex(s => !string.IsNullOrWhiteSpace(s.Template) || !string.IsNullOrWhiteSpace(s.VariantB));
        var specs = new List<SequenceStepSpec>();
        for (var i = 0; i <= last; i++)
        {
            var (day, a, b) = (Steps[i].Day, Blank(Steps[i].Template), Blank(Steps[i].VariantB));
            if (day is not { } d)
            {
                Show(Refuse.With(RefusalCode.InvalidInput, $"Step {i + 1}: give the day it runs on, counted from enrolment."), "sequence");
                return null;
            }
            specs.Add(b is null ? new SequenceStepSpec(d, a) : new SequenceStepSpec(d, null, a is null ? [b] : [a, b]));
        }
        return specs;
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private async Task<IActionResult> ShowAgain()
    {
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var me = Me;
        int maxSteps;
        IReadOnlyList<int> days;
        (Sequences, Templates, maxSteps, days) = await ReadAsync((e, _) =>
        {
            var member = e.State.FindMember(me)!;
            return ((IReadOnlyList<SequenceView>)[.. member.Sequences.Values.Select(s => SequenceViews.Of(e, s))],
                (IReadOnlyList<string>)[.. member.Templates.Keys.Order(StringComparer.Ordinal)],
                e.Catalog.Policy.SequenceMaxSteps, e.Catalog.Policy.SequenceDefaultDays);
        });
        // A new form starts on the policy's default days; a form sent back keeps what was typed.
        while (Steps.Count < maxSteps)
        {
            Steps.Add(new StepInput { Day = Steps.Count < days.Count ? days[Steps.Count] : null });
        }
        if (Steps.Count > maxSteps)
        {
            Steps.RemoveRange(maxSteps, Steps.Count - maxSteps);
        }
    }
}
