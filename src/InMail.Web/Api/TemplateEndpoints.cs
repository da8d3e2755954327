using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Web.Security;

namespace InMail.Web.Api;

/// <summary>Templates and the coach (SPEC §10): a member's own templates, and advice on any draft.</summary>
public static partial class TemplateEndpoints
{
    /// <summary>Maps the template and coach resources into <paramref name="api"/>.</summary>
    public static void MapTemplates(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/templates", (HttpContext context, Runner run, string id) =>
            Self(context, id) ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Templates.Values.Select(View.Of).ToList()))
            .Doc<List<TemplateView>>("Your templates, by id");

        api.MapGet("/members/{id}/templates/{template}", (HttpContext context, Runner run, string id, string template) =>
            Self(context, id) ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Templates.TryGetValue(template, out var t)
                    ? View.Of(t)
                    : Refuse.With(RefusalCode.UnknownTemplate, $"You have no template '{template}'.")))
            .Doc<TemplateView>("One of your templates");

        api.MapPut("/members/{id}/templates/{template}", (HttpContext context, Runner run, string id, string template) =>
            Self(context, id) ?? run.Command<TemplateBody>(context, (b, who) => new SaveTemplate(who.Member, template, b.Body, b.Subject),
                (_, _, r) => View.Of((Domain.Outreach.MessageTemplate)r)))
            .Doc<TemplateBody, TemplateView>("Saves or replaces one of your templates (placeholders: {{firstName}}, {{company|your team}}, …)");

        api.MapDelete("/members/{id}/templates/{template}", (HttpContext context, Runner run, string id, string template) =>
            Self(context, id) ?? run.Command(context, new DeleteTemplate(context.Who().Member, template), (_, _, r) => View.Of((Domain.Outreach.MessageTemplate)r)))
            .Doc<TemplateView>("Deletes one of your templates; answers with what it held");

        api.MapPost("/coach", async (HttpContext context, Runner run) =>
        {
            var (body, problem) = await ApiJson.ReadAsync<MessageBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            var me = context.Who().Member;
            return await run.Query(context, (e, now) => e.CoachDraft(now, new Draft(me, body!.To, body.Subject, body.Body, body.Template)) is var c && c.IsSuccess
                ? View.Of(c.Value) : c.Refusal);
        }).Doc<MessageBody, CoachView>("The coach's advice on a draft (a template is rendered for the recipient first): findings, never a refusal of the text");
    }

    private static Task<IResult>? Self(HttpContext context, string id) =>
        Runner.Resolve(id, context.Who()) == context.Who().Member ? null : Task.FromResult<IResult>(Runner.NotYours("templates"));
}
