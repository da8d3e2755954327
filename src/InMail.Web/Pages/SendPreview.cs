using InMail.Domain;
using InMail.Domain.Content;
using InMail.Domain.Messaging;
using Microsoft.AspNetCore.Mvc;

namespace InMail.Web.Pages;

/// <summary>
/// The cost preview of a message before it is sent: the engine's quote in words ("Free: Open Profile",
/// "1 InMail credit (37 left)") or its refusal, and the content limits of the path it would take.
/// </summary>
public sealed record CostPreview(bool Free, string Text, string? Path, Refusal? Refusal, ContentLimits Limits)
{
    /// <summary>The coach's findings on the draft (SPEC §10); null until there is a body to read.</summary>
    public IReadOnlyList<Domain.Outreach.CoachFinding>? Coach { get; init; }

    public bool SubjectShown => Limits.Subject != SubjectRule.None;

    public bool SubjectRequired => Limits.Subject == SubjectRule.Required;
}

/// <summary>
/// One quote for every form that sends (Compose, and the reply box of a conversation), so both show the
/// same path, cost and limits, server-rendered and live while the member types.
/// </summary>
public static class SendPreview
{
    /// <summary>
    /// Asks the engine what sending would cost. Blank fields are quoted with a placeholder, so the path and
    /// cost show before the member writes; their own emptiness is refused when they send, beside the field.
    /// </summary>
    public static CostPreview Of(InMailEngine e, DateTimeOffset now, string me, string to, string? subject, string? body)
    {
        ArgumentNullException.ThrowIfNull(e);
        var quote = e.Quote(now, new SendRequest(me, to, string.IsNullOrWhiteSpace(subject) ? "subject" : subject, string.IsNullOrWhiteSpace(body) ? "body" : body));
        if (!quote.IsSuccess)
        {
            // No path was chosen: the fields keep the limits of an InMail, the strictest that takes a subject.
            return new CostPreview(false, quote.Refusal!.Message, null, quote.Refusal, e.LimitsOf(SendPath.InMail));
        }
        var q = quote.Value;
        var text = q.Path switch
        {
            SendPath.Message => e.State.AreConnected(me, to) ? "Free: 1st-degree connection" : "Free: they have written to you",
            SendPath.OpenProfile => "Free: Open Profile",
            SendPath.Group => $"Free: shared group ({q.GroupMessagesLeft - 1} of {e.Catalog.Policy.GroupMessagesPerMonth} left this month)",
            _ => $"1 InMail credit ({q.CreditsAvailable - 1} left)",
        };
        return new CostPreview(q.Cost == 0, text, q.Path.ToName(), null, e.LimitsOf(q.Path))
        {
            // The coach reads InMails: a message in an open conversation needs no advice on cold outreach.
            Coach = string.IsNullOrWhiteSpace(body) || q.Path == SendPath.Message ? null
                : e.CoachDraft(now, new Draft(me, to, subject, body)) is { IsSuccess: true } coached ? coached.Value.Findings : null,
        };
    }

    /// <summary>The same preview as JSON, for the script that updates it while the member types.</summary>
    public static JsonResult Json(CostPreview? preview, string? to) => new(preview is null ? null : new
    {
        preview.Free,
        preview.Text,
        preview.Path,
        code = preview.Refusal?.CodeText,
        message = preview.Refusal?.Message,
        steps = preview.Refusal is { } r ? Words.NextSteps(r.Code, to) : [],
        preview.SubjectShown,
        preview.SubjectRequired,
        SubjectMax = preview.Limits.SubjectMaxLength,
        BodyMax = preview.Limits.BodyMaxLength,
        coach = preview.Coach?.Select(f => new { f.Code, f.Advice, f.Source }),
    });
}
