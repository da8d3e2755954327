using InMail.Domain.Content;
using InMail.Domain.Messaging;
using InMail.Domain.Network;
using InMail.Domain.Outreach;

namespace InMail.Domain;

/// <summary>A draft as a member asks for it: typed text, or one of their templates (never both).</summary>
/// <param name="From">The sender.</param>
/// <param name="To">The recipient.</param>
/// <param name="Subject">The subject typed, if any.</param>
/// <param name="Body">The body typed, if any.</param>
/// <param name="Template">One of the sender's templates, rendered for the recipient instead of typed text.</param>
public sealed record Draft(string From, string To, string? Subject = null, string? Body = null, string? Template = null)
{
    /// <summary>The files the message carries (SPEC §11), as the service stored them.</summary>
    public IReadOnlyList<Attachment>? Attachments { get; init; }
}

/// <summary>A draft rendered for its recipient: the text that would go out, and whether a recipient placeholder made it personal.</summary>
/// <param name="Request">The send the draft becomes: the text that would go out, and the template it came from.</param>
/// <param name="Personalised">True when the template used a recipient placeholder (the coach then does not call it generic).</param>
public sealed record RenderedDraft(SendRequest Request, bool Personalised);

public sealed partial class InMailEngine
{
    /// <summary>Saves (or replaces) one of the member's templates (SPEC §10).</summary>
    public Outcome<MessageTemplate> SaveTemplate(DateTimeOffset now, string memberId, string id, string? subject, string? body)
    {
        if (State.FindMember(memberId) is not { } member)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{memberId}'.");
        }
        if (!Identifiers.IsValid(id))
        {
            return Refuse.With(RefusalCode.InvalidInput, Identifiers.Rule("template id"));
        }
        if (TemplateProblem(subject, body) is { } problem)
        {
            return Refuse.With(RefusalCode.InvalidTemplate, problem);
        }
        if (!member.Templates.ContainsKey(id) && member.Templates.Count >= Policy.TemplatesPerMember)
        {
            return Refuse.With(RefusalCode.InvalidTemplate, $"You keep {Policy.TemplatesPerMember} templates, the most there can be; delete one first.");
        }
        var template = new MessageTemplate(id, TextRules.IsBlank(subject) ? null : subject, body!, now);
        member.SaveTemplate(template);
        return template;
    }

    /// <summary>Deletes one of the member's templates; <c>unknown-template</c> when they have none by that id.</summary>
    public Outcome<MessageTemplate> DeleteTemplate(DateTimeOffset now, string memberId, string id)
    {
        _ = now;
        if (State.FindMember(memberId) is not { } member)
        {
            return Refuse.With(RefusalCode.UnknownMember, $"There is no member '{memberId}'.");
        }
        if (!member.Templates.TryGetValue(id ?? "", out var template))
        {
            return Refuse.With(RefusalCode.UnknownTemplate, $"You have no template '{id}'.");
        }
        member.DeleteTemplate(template.Id);
        return template;
    }

    /// <summary>What is wrong with a template's text, or null (SPEC §10: placeholders, and the InMail limits of §5).</summary>
    public string? TemplateProblem(string? subject, string? body)
    {
        if (TextRules.IsBlank(body))
        {
            return "A template needs a body.";
        }
        if (TemplateText.Problem(subject) is { } s)
        {
            return "Subject: " + s;
        }
        if (TemplateText.Problem(body) is { } b)
        {
            return "Body: " + b;
        }
        if (TextRules.Length(subject) > Policy.SubjectMaxLength)
        {
            return $"The subject has {TextRules.Length(subject)} characters; an InMail subject has at most {Policy.SubjectMaxLength}.";
        }
        if (TextRules.Length(body) > Policy.InMailBodyMaxLength)
        {
            return $"The body has {TextRules.Length(body)} characters; an InMail body has at most {Policy.InMailBodyMaxLength}.";
        }
        return TextRules.HasInvalidCharacters(subject) || TextRules.HasInvalidCharacters(body)
            ? "The text holds control characters; remove them."
            : null;
    }

    /// <summary>
    /// The text a draft would send: typed text as it is, or the named template rendered for the
    /// recipient (<c>unknown-template</c>, <c>placeholder-unresolved</c>). The members are checked
    /// first, in the order of a send (<c>unknown-member</c>, <c>self-message</c>).
    /// </summary>
    public Outcome<RenderedDraft> Render(Draft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var pair = Members(draft.From, "sender", draft.To, "recipient");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        var (s, r) = pair.Value;
        if (s == r)
        {
            return Refuse.With(RefusalCode.SelfMessage, "Members cannot message themselves.");
        }
        if (draft.Template is null)
        {
            return new RenderedDraft(new SendRequest(s.Id, r.Id, draft.Subject, draft.Body), false);
        }
        if (draft.Subject is not null || draft.Body is not null)
        {
            return Refuse.With(RefusalCode.InvalidInput, "Name a template or give a subject and body, not both.");
        }
        if (!s.Templates.TryGetValue(draft.Template, out var template))
        {
            return Refuse.With(RefusalCode.UnknownTemplate, $"You have no template '{draft.Template}'.");
        }
        var rendered = RenderFor(s, r, template.Subject, template.Body, $"'{template.Id}'");
        return rendered.IsSuccess ? rendered.Value with { Request = rendered.Value.Request with { Template = template.Id } } : rendered;
    }

    private static Outcome<RenderedDraft> RenderFor(Member s, Member r, string? subjectText, string bodyText, string templateName)
    {
        var (subject, missingInSubject) = TemplateText.Render(subjectText, r.Profile, s.Profile);
        var (body, missingInBody) = TemplateText.Render(bodyText, r.Profile, s.Profile);
        if ((missingInSubject ?? missingInBody) is { } missing)
        {
            return Refuse.With(RefusalCode.PlaceholderUnresolved,
                $"{r.Profile.Name} has no {missing} on their profile and {templateName} gives {{{{{missing}}}}} no fallback; add one, as {{{{{missing}|…}}}}, or write this one by hand.");
        }
        return new RenderedDraft(new SendRequest(s.Id, r.Id, subject, body), TemplateText.UsesRecipient(subjectText) || TemplateText.UsesRecipient(bodyText));
    }

    /// <summary>
    /// A template's text that is not saved yet, checked as <see cref="SaveTemplate"/> would
    /// (<c>invalid-template</c>), rendered for <paramref name="to"/> and coached: the template editor's
    /// live preview. Changes nothing.
    /// </summary>
    public Outcome<CoachReport> PreviewTemplate(DateTimeOffset now, string from, string to, string? subject, string? body)
    {
        var pair = Members(from, "sender", to, "recipient");
        if (!pair.IsSuccess)
        {
            return pair.Refusal;
        }
        if (TemplateProblem(subject, body) is { } problem)
        {
            return Refuse.With(RefusalCode.InvalidTemplate, problem);
        }
        var rendered = RenderFor(pair.Value.A, pair.Value.B, TextRules.IsBlank(subject) ? null : subject, body!, "this template");
        return rendered.IsSuccess ? Coached(now, rendered.Value) : rendered.Refusal;
    }

    /// <summary>Sends a draft: renders it (<see cref="Render"/>), then sends exactly as <see cref="Send(DateTimeOffset, SendRequest, string?)"/> does.</summary>
    public Outcome<Sent> Send(DateTimeOffset now, Draft draft, string? messageId = null)
    {
        var rendered = Render(draft);
        return rendered.IsSuccess ? Send(now, rendered.Value.Request with { Attachments = draft.Attachments }, messageId) : rendered.Refusal;
    }

    /// <summary>What a draft would cost, rendered as it would be sent; changes nothing.</summary>
    public Outcome<Quote> Quote(DateTimeOffset now, Draft draft)
    {
        var rendered = Render(draft);
        return rendered.IsSuccess ? Quote(now, rendered.Value.Request with { Attachments = draft.Attachments }) : rendered.Refusal;
    }

    /// <summary>The coach's findings on a draft (SPEC §10), in order; advice, never a refusal of the draft's content.</summary>
    public Outcome<CoachReport> CoachDraft(DateTimeOffset now, Draft draft)
    {
        var rendered = Render(draft);
        return rendered.IsSuccess ? Coached(now, rendered.Value) : rendered.Refusal;
    }

    private CoachReport Coached(DateTimeOffset now, RenderedDraft rendered)
    {
        var (request, personalised) = rendered;
        var recipient = State.LoadedMember(request.To);
        var since = now - TimeSpan.FromDays(Policy.CoachCopyPasteDays);
        // A busy recruiter has thousands of conversations: the database answers from one index (decision 007); memory is read only without one.
        var recent = State.Source?.InMailBodiesSince(request.From, since, now) is { } stored
            ? stored.Where(r => r.To != request.To).ToList()
            : State.ConversationsOf(request.From).SelectMany(c => c.Messages)
                .Where(m => m.From == request.From && m.IsInMail && m.SentAt > since && m.SentAt <= now && m.To != request.To)
                .Select(m => (m.To, m.Body)).ToList();
        var body = request.Body ?? "";
        return new CoachReport(request.Subject, body, Coach.Review(request.Subject, body, recipient.Profile, personalised, recent, Policy));
    }
}
