using InMail.Domain;
using InMail.Domain.Commands;
using InMail.Domain.Outreach;
using InMail.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMail.Web.Api;

/// <summary>Follow-up sequences (SPEC §10): a member's own sequences, their enrolments, and what enrolling would cost.</summary>
public static class SequenceEndpoints
{
    private const int PageSize = 50;

    /// <summary>Maps the sequence and enrolment resources into <paramref name="api"/>.</summary>
    public static void MapSequencesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/members/{id}/sequences", async (HttpContext context, Runner run, string id) =>
            Self(context, id) ?? await run.Query<List<SequenceView>>(context, (e, _) =>
                e.State.FindMember(context.Who().Member)!.Sequences.Values.Select(s => SequenceViews.Of(e, s)).ToList()))
            .Doc("Your sequences, by id, with their results per step and variant");

        api.MapGet("/members/{id}/sequences/{sequence}", async (HttpContext context, Runner run, string id, string sequence) =>
            Self(context, id) ?? await run.Query<SequenceView>(context, (e, _) => Find(e, context, sequence) is { } s ? SequenceViews.Of(e, s) : Unknown(sequence)))
            .Doc("One of your sequences: its steps, and sent, replied, positive, credits spent and refunded per step and variant");

        api.MapPut("/members/{id}/sequences/{sequence}", async (HttpContext context, Runner run, string id, string sequence) =>
            Self(context, id) ?? await run.Command(context, (SequenceBody b, Principal who) => new SaveSequence(who.Member, sequence, b.Steps, b.Window, b.Budget),
                (e, _, saved) => SequenceViews.Of(e, saved)))
            .DocIn<SequenceBody>("Saves a sequence: 1–4 steps (day 0 first, days increasing), each a template or two variants (an A/B test); window \"best\"; a budget of net credits");

        api.MapDelete("/members/{id}/sequences/{sequence}", async (HttpContext context, Runner run, string id, string sequence) =>
            Self(context, id) ?? await run.Command(context, new DeleteSequence(context.Who().Member, sequence), (e, _, deleted) => SequenceViews.Of(e, deleted)))
            .Doc("Deletes a sequence with its results (refused while enrolments are active)");

        api.MapGet("/members/{id}/sequences/{sequence}/enrollments", async Task<Results<Answer<EnrollmentPage>, ProblemResult>> (HttpContext context, Runner run, string id,
            string sequence, string? status, int? after) =>
        {
            if (status is not null && !EnrollmentNames.TryParse(status, out _))
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "status is active, finished or stopped.");
            }
            return Self(context, id) ?? await run.Query<EnrollmentPage>(context, (e, _) =>
            {
                if (Find(e, context, sequence) is not { } s)
                {
                    return Unknown(sequence);
                }
                var page = s.Enrollments.Where(x => x.Ordinal > (after ?? -1) && (status is null || EnrollmentNames.ToName(x.Status) == status)).Take(PageSize + 1).ToList();
                var items = page.Take(PageSize).Select(x => SequenceViews.Of(e, x)).ToList();
                return new EnrollmentPage(items, page.Count > PageSize ? items[^1].Ordinal : null);
            });
        }).Doc("A sequence's enrolments in enrolment order, 50 a page (?after= the page's next; ?status= filters)");

        api.MapGet("/members/{id}/sequences/{sequence}/enrollments/{to}", async (HttpContext context, Runner run, string id, string sequence, string to) =>
            Self(context, id) ?? await run.Query<EnrollmentView>(context, (e, _) =>
                Find(e, context, sequence) is not { } s ? Unknown(sequence)
                : s.EnrollmentOf(to) is { } x ? SequenceViews.Of(e, x)
                : Refuse.With(RefusalCode.NotEnrolled, $"'{to}' was never enrolled in the sequence '{sequence}'.")))
            .Doc("A recipient's enrolment (the active one, else the latest): steps sent, the next step's instant in both time zones, or why it stopped");

        api.MapPost("/members/{id}/sequences/{sequence}/enrollments", async (HttpContext context, Runner run, string id, string sequence) =>
            Self(context, id) ?? await run.Create(context, (EnrollBody b, Principal who) => new Enroll(who.Member, sequence, b.To, b.Recipients),
                (e, _, enrolled) => enrolled.Select(x => SequenceViews.Of(e, x)).ToList(),
                list => $"/api/v1/members/{Uri.EscapeDataString(context.Who().Member)}/sequences/{Uri.EscapeDataString(sequence)}/enrollments" +
                    (list.GetArrayLength() == 1 ? "/" + Uri.EscapeDataString(list[0].GetProperty("to").GetString()!) : "")))
            .DocIn<EnrollBody>("Enrols one recipient (to) or a list (recipients; all or none); step 1 runs at once or in the best window. Send an Idempotency-Key: steps spend credits");

        api.MapPost("/members/{id}/sequences/{sequence}/enrollments/quote", async Task<Results<Answer<EnrollmentQuoteView>, ProblemResult>> (HttpContext context, Runner run,
            string id, string sequence) =>
        {
            if (Self(context, id) is { } refused)
            {
                return refused;
            }
            var (body, problem) = await ApiJson.ReadAsync<EnrollBody>(context.Request);
            if (problem is not null)
            {
                return problem;
            }
            IReadOnlyList<string> recipients = body!.Recipients ?? (body.To is { } one ? [one] : []);
            return await run.Query<EnrollmentQuoteView>(context, (e, now) => e.QuoteEnrollment(now, context.Who().Member, sequence, recipients) is var q && q.IsSuccess
                ? SequenceViews.Of(q.Value) : q.Refusal);
        }).DocIn<EnrollBody>("What enrolling would cost and what would stop it, per recipient and in total; changes nothing");

        api.MapDelete("/members/{id}/sequences/{sequence}/enrollments/{to}", async (HttpContext context, Runner run, string id, string sequence, string to) =>
            Self(context, id) ?? await run.Command(context, new Unenroll(context.Who().Member, sequence, to), (e, _, stopped) => SequenceViews.Of(e, stopped)))
            .Doc("Unenrols a recipient: no further step runs (not-enrolled when they have no active enrolment)");
    }

    private static Sequence? Find(InMailEngine e, HttpContext context, string sequence) =>
        e.State.FindMember(context.Who().Member)!.Sequences.GetValueOrDefault(sequence);

    private static Refusal Unknown(string sequence) => Refuse.With(RefusalCode.UnknownSequence, $"You have no sequence '{sequence}'.");

    private static ProblemResult? Self(HttpContext context, string id) => Endpoints.Self(context, id, "sequences");
}
