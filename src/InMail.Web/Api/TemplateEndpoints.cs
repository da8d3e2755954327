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

    /// <summary>Maps scheduled sends: create, list, read one, cancel.</summary>
    public static void MapSchedules(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/schedules", (HttpContext context, Runner run) =>
            run.Command<ScheduleBody>(context, (b, who) => new ScheduleSend(b.Id, who.Member, b.To, b.Subject, b.Body, b.Template, b.SendAt, b.Window),
                (e, _, r) => ScheduleOf(e, (Domain.Outreach.ScheduledSend)r), StatusCodes.Status201Created,
                s => $"/api/v1/members/{context.Who().Member}/schedules/{s.GetProperty("id").GetString()}"))
            .Doc<ScheduleBody, ScheduleView>("Schedules a send for an instant (sendAt) or the recipient's best window (window: \"best\"); it runs then exactly as a send would", StatusCodes.Status201Created);

        api.MapGet("/members/{id}/schedules", (HttpContext context, Runner run, string id, string? status) =>
        {
            if (status is not null && !Domain.Outreach.ScheduleNames.TryParse(status, out _))
            {
                return Task.FromResult<IResult>(Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "status is pending, sent, refused or cancelled."));
            }
            return Self(context, id, "scheduled sends") ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Schedules.Values
                    .Where(x => status is null || Domain.Outreach.ScheduleNames.ToName(x.Status) == status)
                    .OrderBy(x => x.Status == Domain.Outreach.ScheduleStatus.Pending ? 0 : 1).ThenBy(x => x.DueAt).ThenBy(x => x.Id, StringComparer.Ordinal)
                    .Select(x => ScheduleOf(e, x)).ToList());
        }).Doc<List<ScheduleView>>("Your scheduled sends: pending first, soonest first; ?status= filters");

        api.MapGet("/members/{id}/schedules/{schedule}", (HttpContext context, Runner run, string id, string schedule) =>
            Self(context, id, "scheduled sends") ?? run.Query(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Schedules.TryGetValue(schedule, out var x)
                    ? ScheduleOf(e, x)
                    : Refuse.With(RefusalCode.UnknownSchedule, $"You have no scheduled send '{schedule}'.")))
            .Doc<ScheduleView>("One of your scheduled sends, and its outcome once it ran");

        api.MapDelete("/members/{id}/schedules/{schedule}", (HttpContext context, Runner run, string id, string schedule) =>
            Self(context, id, "scheduled sends") ?? run.Command(context, new CancelSchedule(context.Who().Member, schedule),
                (e, _, r) => ScheduleOf(e, (Domain.Outreach.ScheduledSend)r)))
            .Doc<ScheduleView>("Cancels a pending scheduled send (schedule-not-pending once it ran or was cancelled)");
    }

    private static ScheduleView ScheduleOf(InMailEngine e, Domain.Outreach.ScheduledSend x) => View.Of(x, e.State.FindMember(x.Draft.To)?.Profile.TimeZone);

    private static Task<IResult>? Self(HttpContext context, string id, string what = "templates") => Endpoints.Self(context, id, what);
}
