using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>Templates and the coach (SPEC §10): a member's own templates, and advice on any draft.</summary>
public static partial class TemplateEndpoints
{
    /// <summary>Maps the template and coach resources into <paramref name="api"/>.</summary>
    public static void MapTemplatesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/templates", async (HttpContext context, Runner run, string id) =>
            Self(context, id) ?? await run.Query<List<TemplateView>>(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Templates.Values.Select(View.Of).ToList()))
            .Doc("Your templates, by id");

        api.MapGet("/members/{id}/templates/{template}", async (HttpContext context, Runner run, string id, string template) =>
            Self(context, id) ?? await run.Query<TemplateView>(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Templates.TryGetValue(template, out var t)
                    ? View.Of(t)
                    : Refuse.With(RefusalCode.UnknownTemplate, $"You have no template '{template}'.")))
            .Doc("One of your templates");

        api.MapPut("/members/{id}/templates/{template}", async (HttpContext context, Runner run, string id, string template) =>
            Self(context, id) ?? await run.Command(context, (TemplateBody b, Principal who) => new SaveTemplate(who.Member, template, b.Body, b.Subject),
                (_, _, saved) => View.Of(saved)))
            .DocIn<TemplateBody>("Saves or replaces one of your templates (placeholders: {{firstName}}, {{company|your team}}, …)");

        api.MapDelete("/members/{id}/templates/{template}", async (HttpContext context, Runner run, string id, string template) =>
            Self(context, id) ?? await run.Command(context, new DeleteTemplate(context.Who().Member, template), (_, _, deleted) => View.Of(deleted)))
            .Doc("Deletes one of your templates; answers with what it held");

        api.MapPost("/coach", async Task<Results<Answer<CoachView>, ProblemResult>> (HttpContext context, Runner run) =>
        {
            var (body, problem) = await ApiJson.ReadAsync<MessageBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            var me = context.Who().Member;
            return await run.Query<CoachView>(context, (e, now) => e.CoachDraft(now, new Draft(me, body!.To, body.Subject, body.Body, body.Template)) is var c && c.IsSuccess
                ? View.Of(c.Value) : c.Refusal);
        }).DocIn<MessageBody>("The coach's advice on a draft (a template is rendered for the recipient first): findings, never a refusal of the text");
    }

    /// <summary>Maps scheduled sends: create, list, read one, cancel.</summary>
    public static void MapSchedulesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapPost("/schedules", (HttpContext context, Runner run) =>
            run.Create(context, (ScheduleBody b, Principal who) => new ScheduleSend(b.Id, who.Member, b.To, b.Subject, b.Body, b.Template, b.SendAt, b.Window),
                (e, _, scheduled) => ScheduleOf(e, scheduled),
                s => $"/api/v1/members/{context.Who().Member}/schedules/{s.GetProperty("id").GetString()}"))
            .DocIn<ScheduleBody>("Schedules a send for an instant (sendAt) or the recipient's best window (window: \"best\"); it runs then exactly as a send would");

        api.MapGet("/members/{id}/schedules", async Task<Results<Answer<List<ScheduleView>>, ProblemResult>> (HttpContext context, Runner run, string id, string? status) =>
        {
            if (status is not null && !Domain.Outreach.ScheduleNames.TryParse(status, out _))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "status is pending, sent, refused or cancelled.");
            }
            return Self(context, id, "scheduled sends") ?? await run.Query<List<ScheduleView>>(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Schedules.Values
                    .Where(x => status is null || Domain.Outreach.ScheduleNames.ToName(x.Status) == status)
                    .OrderBy(x => x.Status == Domain.Outreach.ScheduleStatus.Pending ? 0 : 1).ThenBy(x => x.DueAt).ThenBy(x => x.Id, StringComparer.Ordinal)
                    .Select(x => ScheduleOf(e, x)).ToList());
        }).Doc("Your scheduled sends: pending first, soonest first; ?status= filters");

        api.MapGet("/members/{id}/schedules/{schedule}", async (HttpContext context, Runner run, string id, string schedule) =>
            Self(context, id, "scheduled sends") ?? await run.Query<ScheduleView>(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Schedules.TryGetValue(schedule, out var x)
                    ? ScheduleOf(e, x)
                    : Refuse.With(RefusalCode.UnknownSchedule, $"You have no scheduled send '{schedule}'.")))
            .Doc("One of your scheduled sends, and its outcome once it ran");

        api.MapDelete("/members/{id}/schedules/{schedule}", async (HttpContext context, Runner run, string id, string schedule) =>
            Self(context, id, "scheduled sends") ?? await run.Command(context, new CancelSchedule(context.Who().Member, schedule),
                (e, _, cancelled) => ScheduleOf(e, cancelled)))
            .Doc("Cancels a pending scheduled send (schedule-not-pending once it ran or was cancelled)");
    }

    private static ScheduleView ScheduleOf(InMailEngine e, Domain.Outreach.ScheduledSend x) => View.Of(x, e.State.FindMember(x.Draft.To)?.Profile.TimeZone);

    private static ProblemResult? Self(HttpContext context, string id, string what = "templates") => Endpoints.Self(context, id, what);
}
