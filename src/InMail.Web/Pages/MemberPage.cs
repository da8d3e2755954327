using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Storage;
using InMail.Web.Api;
using InMail.Web.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InMail.Web.Pages;

/// <summary>
/// What every page of a signed-in member shares: the engine through the same <see cref="CommandStore"/>
/// the API uses, the idempotency key each form carries, and refusals shown beside the field they concern.
/// </summary>
public abstract class MemberPage(CommandStore store) : PageModel
{
    /// <summary>The hidden field every form that changes something sends: a retry or a double click runs the command once.</summary>
    public const string KeyField = "idempotencyKey";

    protected CommandStore Store => store;

    /// <summary>The signed-in member's id.</summary>
    public string Me => HttpContext.Who().Member;

    /// <summary>
    /// A one-line message carried across the redirect after a change (post, redirect, get). Only the
    /// layout reads it, so a request that renders no page (the compose preview's JSON) never eats it.
    /// </summary>
    protected string? Flash
    {
        set => TempData["Flash"] = value;
    }

    /// <summary>The refusal of the last post, and the form field it belongs to.</summary>
    public (string Field, Refusal Refusal)? Refused { get; private set; }

    private MemberTime? _time;

    /// <summary>Instants in the member's own time zone, relative for the last day (read once per request).</summary>
    public MemberTime Time => _time ??= store.Read((e, now) => new MemberTime(now, e.State.FindMember(Me)?.Profile.TimeZone));

    /// <summary>
    /// Reads <see cref="Time"/> before the handler runs, waiting for the store without holding a thread
    /// (a page's view asks for it synchronously, and a blocked thread-pool thread is one the writer may need).
    /// </summary>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        if (_time is null && User.Identity?.IsAuthenticated == true)
        {
            var me = Me;
            _time = await store.ReadAsync((e, now) => new MemberTime(now, e.State.FindMember(me)?.Profile.TimeZone), HttpContext.RequestAborted);
        }
        await base.OnPageHandlerExecutionAsync(context, next);
    }

    /// <summary>A fresh idempotency key for a form.</summary>
    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>
    /// Keeps the files a form brought (SPEC §11) and returns them as a send carries them, or the refusal
    /// (<c>attachment-rejected</c>) before anything is sent. Files are judged by their bytes in the domain.
    /// </summary>
    protected async Task<Outcome<IReadOnlyList<Domain.Messaging.Attachment>?>> KeepFilesAsync(IReadOnlyList<IFormFile>? files)
    {
        var chosen = (files ?? []).Where(f => f.Length > 0 || f.FileName.Length > 0).ToList();
        if (chosen.Count == 0)
        {
            return Outcome<IReadOnlyList<Domain.Messaging.Attachment>?>.Success(null);
        }
        var policy = await ReadAsync((e, _) => e.Catalog.Policy);
        if (Domain.Content.AttachmentRules.TooMany(chosen.Count, policy) is { } tooMany)
        {
            return tooMany;
        }
        var key = Request.HasFormContentType ? Request.Form[KeyField].ToString() : "";
        var kept = new List<Domain.Messaging.Attachment>();
        for (var i = 0; i < chosen.Count; i++)
        {
            var file = chosen[i];
            if (Domain.Content.AttachmentRules.TooLarge(file.FileName, file.Length, policy) is { } tooLarge)
            {
                return tooLarge;
            }
            var bytes = new byte[file.Length];
            await using (var stream = file.OpenReadStream())
            {
                await stream.ReadExactlyAsync(bytes, HttpContext.RequestAborted);
            }
            var id = key.Length == 0 ? null : Uploads.IdFor(Me, key, i, bytes);
            var (upload, problem) = await Uploads.KeepAsync(store, Me, file.FileName, bytes, HttpContext.RequestAborted, id);
            if (problem is not null)
            {
                return RefusalCodes.TryParse(problem.Code, out var code) ? Refuse.With(code, problem.Detail) : Refuse.With(RefusalCode.AttachmentRejected, problem.Detail);
            }
            kept.Add(upload!.File);
        }
        return Outcome<IReadOnlyList<Domain.Messaging.Attachment>?>.Success(kept);
    }

    /// <summary>The refusal to show beside <paramref name="field"/>, if it is there.</summary>
    public Refusal? RefusalFor(string field) => Refused is { } r && r.Field == field ? r.Refusal : null;

    protected ValueTask<T> ReadAsync<T>(Func<InMailEngine, DateTimeOffset, T> query) => store.ReadAsync(query, HttpContext.RequestAborted);

    /// <summary>Runs a command as the signed-in member, with the form's idempotency key, for a page that shows nothing of its result: done, or the refusal.</summary>
    protected async Task<Outcome<Done>> RunAsync(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var outcome = await store.ExecuteAsync(command, Me, FormKey(), cancellationToken: HttpContext.RequestAborted);
        return outcome.IsSuccess ? Done.Value : outcome.Refusal;
    }

    /// <summary>
    /// Runs a command as the signed-in member, with the form's idempotency key: the sentence <paramref name="present"/> makes of
    /// its result (to flash on the next page), or the refusal.
    /// </summary>
    protected async Task<Outcome<string>> RunAsync<TResult>(Command<TResult> command, Func<InMailEngine, DateTimeOffset, TResult, string> present)
        where TResult : notnull
    {
        ArgumentNullException.ThrowIfNull(command);
        var outcome = await store.ExecuteAsync(command, Me, FormKey(), present, cancellationToken: HttpContext.RequestAborted);
        if (!outcome.IsSuccess)
        {
            return outcome.Refusal;
        }
        // A retry answered from the database (decision 007): the sentence first shown, as it was kept.
        return outcome.Value.Stored is { } stored ? SentenceOf(stored) : outcome.Value.View!;
    }

    private string? FormKey() => Request.HasFormContentType && Request.Form[KeyField].ToString() is { Length: > 0 } key ? key : null;

    /// <summary>The sentence a kept first answer holds; one kept by something other than a page (or not kept) says only that it was done.</summary>
    private static string SentenceOf(StoredResult stored) =>
        stored.Json is { } json && System.Text.Json.JsonSerializer.Deserialize<System.Text.Json.JsonElement>(json) is { ValueKind: System.Text.Json.JsonValueKind.String } text
            ? text.GetString()!
            : "Done.";

    /// <summary>Keeps the refusal for the page to show beside its field (by default the field SPEC §7's code concerns).</summary>
    protected void Show(Refusal refusal, string? field = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        Refused = (field ?? Words.FieldOf(refusal.Code), refusal);
        Response.StatusCode = Problems.StatusOf(refusal.Code) is var status and >= 400 and < 500 ? status : StatusCodes.Status422UnprocessableEntity;
    }

    /// <summary>Runs a command and on success redirects with a flash message; on refusal, shows the page again.</summary>
    protected async Task<IActionResult> RunThenRedirectAsync(Command command, string done, Func<Task<IActionResult>> showAgain, string? field = null,
        string? redirectTo = null)
    {
        ArgumentNullException.ThrowIfNull(showAgain);
        var outcome = await RunAsync(command);
        if (!outcome.IsSuccess)
        {
            Show(outcome.Refusal, field);
            return await showAgain();
        }
        Flash = done;
        return redirectTo is null ? RedirectToPage() : Redirect(redirectTo);
    }
}
