using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Messaging;
using InMail.Domain.Outreach;
using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>
/// One row of the enrol preview: what the form was given, who it names, and what the engine's quote
/// says of them (path, credits at most, the step a limit stops it at, a problem). <see cref="Blocks"/>
/// when nobody can be enrolled while this row stands.
/// </summary>
public sealed record EnrolPreviewRow(string Source, string Text, string? Member, string? Name, string? Path, int CreditsAtMost, int? StopsAtStep,
    string? Code, string? Problem, bool Blocks);

/// <summary>The enrol form's "Preview cost": the engine's quote for the rows that name a member, and every row with what it would do.</summary>
public sealed record EnrolPreview(EnrollmentQuoteView Quote, IReadOnlyList<EnrolPreviewRow> Rows)
{
    /// <summary>The members to enrol, in the rows' order.</summary>
    public IReadOnlyList<string> Recipients => [.. Rows.Where(r => r.Member is not null).Select(r => r.Member!)];

    /// <summary>True when the engine can enrol every row: all or none (SPEC §10).</summary>
    public bool CanEnroll => Rows.Count > 0 && Rows.All(r => !r.Blocks);
}

/// <summary>Counts of a sequence's enrolments by status.</summary>
public sealed record EnrollmentCounts(int Active, int Finished, int Stopped);

/// <summary>
/// A sequence (SPEC §10): its steps with the results of each step and variant, its enrolments (where
/// each stands, the next step in both clocks, or why it stopped), unenrolling, deleting, and the enrol
/// form: people found with the member search, a pasted list or a CSV file, previewed with the engine's
/// quote before the enrolment, which is all or none.
/// </summary>
// A recipients' file of 1 MiB and the form around it, with room to spare so a larger file gets the page's own
// "too large" beside the form rather than a refused request (the service's default body is 64 KB).
[RequestSizeLimit(8 * RecipientList.MaxFileBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = 8 * RecipientList.MaxFileBytes)]
public sealed class SequenceDetailModel(CommandStore store) : MemberPage(store)
{
    /// <summary>Enrolments a page lists, as the API does.</summary>
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string Id { get; set; } = "";

    /// <summary>The member search's text.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    /// <summary>Members picked from the search, carried in the address and the form.</summary>
    [BindProperty(SupportsGet = true)]
    public List<string> Pick { get; set; } = [];

    /// <summary>Pasted member ids or names, one a line.</summary>
    [BindProperty]
    public string? Pasted { get; set; }

    [BindProperty]
    public IFormFile? Upload { get; set; }

    /// <summary>The previewed members, which "Enrol" sends.</summary>
    [BindProperty]
    public List<string> Recipients { get; set; } = [];

    /// <summary>Whom "Unenrol" concerns.</summary>
    [BindProperty]
    public string? To { get; set; }

    /// <summary>The enrolment list's page: those after this ordinal.</summary>
    [BindProperty(SupportsGet = true)]
    public int? After { get; set; }

    public SequenceView? Sequence { get; private set; }

    public IReadOnlyList<EnrollmentView> Enrollments { get; private set; } = [];

    /// <summary>The ordinal the next page of enrolments starts after, when there is one.</summary>
    public int? NextPage { get; private set; }

    public EnrollmentCounts Counts { get; private set; } = new(0, 0, 0);

    public IReadOnlyList<MemberView> Found { get; private set; } = [];

    /// <summary>The picked members with their names.</summary>
    public IReadOnlyList<(string Id, string Name)> Picked { get; private set; } = [];

    public EnrolPreview? Preview { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Sequence is null ? NotFound() : Page();
    }

    /// <summary>"Preview cost": finds who each row names, then asks the engine what enrolling them would cost and what would stop it. Changes nothing.</summary>
    public async Task<IActionResult> OnPostPreviewAsync()
    {
        await LoadAsync();
        if (Sequence is null)
        {
            return NotFound();
        }
        var inputs = new List<RecipientInput>(Pick.Select(p => new RecipientInput("picked", p)));
        inputs.AddRange(RecipientList.Pasted(Pasted));
        if (Upload is { Length: > 0 } file)
        {
            if (file.Length > RecipientList.MaxFileBytes)
            {
                Show(Refuse.With(RefusalCode.InvalidInput, $"The file is {file.Length / 1024} KB; a list of recipients fits in {RecipientList.MaxFileBytes / 1024} KB."), "enrol");
                return Page();
            }
            using var buffer = new MemoryStream();
            await file.CopyToAsync(buffer, HttpContext.RequestAborted);
            if (RecipientList.Csv(buffer.ToArray(), out var error) is not { } rows)
            {
                Show(Refuse.With(RefusalCode.InvalidInput, error!), "enrol");
                return Page();
            }
            inputs.AddRange(rows);
        }
        return await PreviewAsync(inputs);
    }

    /// <summary>"Enrol": the previewed members, all or none; a refusal shows the preview again with the row it concerns.</summary>
    public async Task<IActionResult> OnPostEnrollAsync()
    {
        var id = Id;
        var outcome = await RunAsync(new Enroll(Me, id, Recipients: Recipients), (_, _, enrolled) => Enrolled(id, enrolled));
        if (outcome.IsSuccess)
        {
            Flash = outcome.Value;
            return Redirect(Here);
        }
        await LoadAsync();
        if (Sequence is null)
        {
            return NotFound();
        }
        Show(outcome.Refusal, "enrol");
        var status = Response.StatusCode;
        var shown = await PreviewAsync([.. Recipients.Select(r => new RecipientInput("listed", r))]);
        Response.StatusCode = status;
        return shown;
    }

    public Task<IActionResult> OnPostUnenrollAsync() =>
        RunThenRedirectAsync(new Unenroll(Me, Id, To ?? ""), "Unenrolled: no further step goes to them.", ShowAgain, "", Here);

    public Task<IActionResult> OnPostDeleteAsync() =>
        RunThenRedirectAsync(new DeleteSequence(Me, Id), $"Sequence “{Id}” deleted.", ShowAgain, "", "/sequences");

    /// <summary>This page's address.</summary>
    public string Here => "/sequences/" + Uri.EscapeDataString(Id);

    /// <summary>This page's address with the search and the picks (and a pick added or taken away), at the enrol form.</summary>
    public string With(string? add = null, string? remove = null)
    {
        var picks = Pick.Where(p => p != remove).Append(add).OfType<string>().Distinct(StringComparer.Ordinal);
        var query = string.Join("&", picks.Select(p => "pick=" + Uri.EscapeDataString(p))
            .Prepend(string.IsNullOrWhiteSpace(Q) ? null : "q=" + Uri.EscapeDataString(Q)).OfType<string>());
        return Here + (query.Length == 0 ? "" : "?" + query) + "#enrol";
    }

    private static string Enrolled(string sequence, IReadOnlyList<Enrollment> list)
    {
        var sent = list.Count(x => x.StepsSent > 0);
        var waiting = list.Count(x => x.Status == EnrollmentStatus.Active && x.StepsSent == 0);
        var stopped = list.Count(x => x.Status == EnrollmentStatus.Stopped);
        return $"Enrolled {list.Count} in “{sequence}”: step 1 went to {sent}."
            + (waiting > 0 ? $" {waiting} wait for their step 1." : "")
            + (stopped > 0 ? $" {stopped} stopped at step 1: see why below." : "");
    }

    private async Task<IActionResult> PreviewAsync(IReadOnlyList<RecipientInput> inputs)
    {
        if (inputs.Count == 0)
        {
            Show(Refuse.With(RefusalCode.InvalidInput, "Pick, paste or upload at least one recipient."), "enrol");
            return Page();
        }
        var rows = await RecipientList.ResolveAsync(Store, inputs, HttpContext.RequestAborted);
        var (me, id) = (Me, Id);
        var preview = await ReadAsync((e, now) =>
        {
            if (rows.Count > e.Catalog.Policy.EnrollBatchMax)
            {
                return (Outcome<EnrolPreview>)Refuse.With(RefusalCode.InvalidInput,
                    $"This list has {rows.Count} rows; one enrolment takes at most {e.Catalog.Policy.EnrollBatchMax}. Split it.");
            }
            var quote = e.QuoteEnrollment(now, me, id, [.. rows.Where(r => r.Member is not null).Select(r => r.Member!)]);
            if (!quote.IsSuccess)
            {
                return quote.Refusal;
            }
            var q = quote.Value;
            var k = 0;
            var shown = rows.Select(r =>
            {
                if (r.Member is null)
                {
                    return new EnrolPreviewRow(r.Source, r.Text, null, null, null, 0, null, r.Problem, r.Message, true);
                }
                var x = q.Rows[k++];
                // Whether this row alone stops the enrolment is the quote's own rule (EnrollmentQuote.CanEnroll).
                var blocks = !(q with { Rows = [x] }).CanEnroll;
                return new EnrolPreviewRow(r.Source, r.Text, x.To, x.Name ?? r.Name, x.Path?.ToName(), x.CreditsAtMost, x.StopsAtStep, x.Code, x.Problem, blocks);
            }).ToList();
            return new EnrolPreview(SequenceViews.Of(q), shown);
        });
        if (!preview.IsSuccess)
        {
            Show(preview.Refusal, "enrol");
            return Page();
        }
        Preview = preview.Value;
        return Page();
    }

    private async Task<IActionResult> ShowAgain()
    {
        await LoadAsync();
        return Sequence is null ? NotFound() : Page();
    }

    private async Task LoadAsync()
    {
        var (me, id, after, picks) = (Me, Id, After ?? -1, Pick);
        var candidates = await MemberSearch.CandidatesAsync(Store, me, Q, HttpContext.RequestAborted);
        var loaded = await ReadAsync((e, now) =>
        {
            if (e.State.FindMember(me)?.Sequences.GetValueOrDefault(id) is not { } s)
            {
                return null;
            }
            var page = s.Enrollments.Where(x => x.Ordinal > after).Take(PageSize + 1).ToList();
            var counts = new EnrollmentCounts(s.ActiveEnrollments, s.Enrollments.Count(x => x.Status == EnrollmentStatus.Finished),
                s.Enrollments.Count(x => x.Status == EnrollmentStatus.Stopped));
            var picked = picks.Distinct(StringComparer.Ordinal).Select(p => (p, e.State.FindMember(p)?.Profile.Name ?? p)).ToList();
            return new
            {
                Sequence = SequenceViews.Of(e, s),
                Enrollments = page.Take(PageSize).Select(x => SequenceViews.Of(e, x)).ToList(),
                Next = page.Count > PageSize ? page[PageSize - 1].Ordinal : (int?)null,
                Counts = counts,
                Picked = picked,
                Found = MemberSearch.Find(e, now, me, candidates),
            };
        });
        if (loaded is null)
        {
            return;
        }
        (Sequence, Enrollments, NextPage, Counts, Picked, Found) = (loaded.Sequence, loaded.Enrollments, loaded.Next, loaded.Counts, loaded.Picked, loaded.Found);
    }
}
