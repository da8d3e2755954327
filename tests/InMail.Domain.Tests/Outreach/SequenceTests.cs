using InMail.Domain.Catalog;
using InMail.Domain.Inspection;
using InMail.Domain.Messaging;
using InMail.Domain.Outreach;
using InMail.Domain.Tests.Rules;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Outreach;

/// <summary>
/// SPEC §10 sequences, worked by hand: step timing and subjects, the stops (response, block, spam
/// report, unenrolment, refusal, budget), the waits on the daily and weekly limits, the thread
/// limit, A/B alternation and results, the cost preview, and their place in the member's document.
/// Given.Start is Monday 5 January 2026, 00:00 UTC.
/// </summary>
public sealed class SequenceTests
{
    private static readonly SequenceStepSpec[] Seeds =
    [
        new(0, "intro"), new(3, "nudge"), new(7, "nudge"), new(14, "last"),
    ];

    private static Given Recruiter(params string[] candidates)
    {
        var given = new Given().Members("rita").Subscribe("rita");
        foreach (var id in candidates)
        {
            Given.Ok(given.Engine.AddMember(given.Now, id, new Network.Profile(char.ToUpperInvariant(id[0]) + id[1..])));
        }
        Save(given, "intro", "Hello {{firstName}}", "{{firstName}}, your work stood out. Open to a chat about a lead role?");
        Save(given, "intro-b", "A lead role, {{firstName}}?", "{{firstName}}, we are hiring a lead. Could we talk this week?");
        Save(given, "nudge", null, "{{firstName}}, bringing this back up. A short call?");
        Save(given, "last", null, "{{firstName}}, last note from me.");
        return given;
    }

    private static void Save(Given given, string id, string? subject, string body) =>
        Given.Ok(given.Engine.SaveTemplate(given.Now, "rita", id, subject, body));

    private static Sequence Define(Given given, string id, IReadOnlyList<SequenceStepSpec> steps, bool best = false, int? budget = null) =>
        Given.Ok(given.Engine.SaveSequence(given.Now, "rita", id, steps, best, budget));

    private static Enrollment Enrol(Given given, string sequence, string to) =>
        Given.Ok(given.Engine.Enroll(given.Now, "rita", sequence, [to]))[0];

    /// <summary>Moves the clock to <paramref name="until"/>, running each piece of due work at its own instant, as the scheduler does.</summary>
    private static void RunUntil(Given given, DateTimeOffset until)
    {
        while (given.Engine.DueWork(until) is { Count: > 0 } due)
        {
            var next = due[0];
            Assert.True(next.ToCommand().Apply(given.Engine, next.At).IsSuccess);
        }
        given.Now = until;
    }

    private static Message MessageOf(Given given, StepSent step) => given.Engine.State.FindMessage(step.MessageId)!;

    [Fact]
    public void Steps_run_at_enrolment_plus_their_day_in_one_conversation_and_later_subjects_are_Re_step_one()
    {
        var given = Recruiter("sam");
        Define(given, "hire", Seeds);
        given.At(Given.Utc(2026, 1, 5, 10, 30));
        var e = Enrol(given, "hire", "sam");
        Assert.Equal(1, e.StepsSent);
        Assert.Equal(Given.Utc(2026, 1, 8, 10, 30), e.NextDueAt);
        RunUntil(given, Given.Utc(2026, 1, 8, 10, 29, 59));
        Assert.Equal(1, e.StepsSent);
        RunUntil(given, Given.Utc(2026, 1, 19, 10, 30));
        Assert.Equal(EnrollmentStatus.Finished, e.Status);
        Assert.Equal([Given.Utc(2026, 1, 5, 10, 30), Given.Utc(2026, 1, 8, 10, 30), Given.Utc(2026, 1, 12, 10, 30), Given.Utc(2026, 1, 19, 10, 30)],
            e.Steps.Select(s => s.At).ToArray());
        var messages = e.Steps.Select(s => MessageOf(given, s)).ToList();
        Assert.Equal(["Hello Sam", "Re: Hello Sam", "Re: Hello Sam", "Re: Hello Sam"], messages.Select(m => m.Subject ?? "").ToArray());
        Assert.Equal("Sam, last note from me.", messages[^1].Body);
        // Four InMails to a stranger who never answered: exactly what the thread limit allows, four credits.
        Assert.All(messages, m => Assert.Equal(SendPath.InMail, m.Path));
        Assert.Single(given.Engine.State.ConversationsOf("rita"));
        Assert.Equal(15 - 4, given.Credits("rita"));
    }

    [Fact]
    public void A_Re_subject_is_cut_to_the_subject_limit()
    {
        var given = Recruiter("sam");
        var limit = PlanCatalog.Default.Policy.SubjectMaxLength;
        Save(given, "long", new string('x', limit), "Sam, a question?");
        Define(given, "s", [new(0, "long"), new(1, "nudge")]);
        var e = Enrol(given, "s", "sam");
        RunUntil(given, given.Now.AddDays(1));
        Assert.Equal("Re: " + new string('x', limit - 4), MessageOf(given, e.Steps[1]).Subject);
    }

    [Fact]
    public void A_recipient_who_answers_between_steps_gets_no_further_step_and_every_credit_comes_back()
    {
        var given = Recruiter("sam");
        Define(given, "hire", Seeds);
        var e = Enrol(given, "hire", "sam");
        RunUntil(given, given.Now.AddDays(3));
        Assert.Equal(13, given.Credits("rita"));
        given.At(given.Now.AddDays(1));
        Given.Ok(given.Respond("sam", e.Steps[1].MessageId));
        // Refunded at once (SPEC §3); the enrolment notes the answer and stops when step 3 is due.
        Assert.Equal(15, given.Credits("rita"));
        Assert.Equal(EnrollmentStatus.Active, e.Status);
        RunUntil(given, Given.Start.AddDays(7));
        Assert.Equal(EnrollmentStatus.Stopped, e.Status);
        Assert.Equal(EnrollmentNames.Responded, e.Reason);
        Assert.Equal(2, e.StepsSent);
        RunUntil(given, Given.Start.AddDays(30));
        Assert.Equal(2, e.StepsSent);
        Assert.Equal(15, given.Credits("rita"));
        var results = e.Sequence.Results();
        Assert.Equal((1, 0, 1, 1), (results[0].Sent, results[0].Replied, results[0].CreditsSpent, results[0].CreditsRefunded));
        Assert.Equal((1, 1, 1, 1), (results[1].Sent, results[1].Replied, results[1].CreditsSpent, results[1].CreditsRefunded));
        Assert.Equal(0, results[2].Sent);
        Assert.Equal(0, e.Sequence.NetCredits);
    }

    [Fact]
    public void An_accepted_step_counts_as_positive_at_the_step_it_answered()
    {
        var given = Recruiter("sam");
        Define(given, "hire", Seeds);
        var e = Enrol(given, "hire", "sam");
        Given.Ok(given.Respond("sam", e.Steps[0].MessageId, ResponseKind.Accept));
        Assert.True(e.Positive);
        Assert.Equal((1, 1), (e.Sequence.Results()[0].Replied, e.Sequence.Results()[0].Positive));
    }

    [Fact]
    public void A_block_either_way_a_spam_report_or_an_unenrolment_stops_the_enrolment()
    {
        var given = Recruiter("bo", "pat", "lee");
        Define(given, "hire", Seeds);
        var bo = Enrol(given, "hire", "bo");
        var pat = Enrol(given, "hire", "pat");
        var lee = Enrol(given, "hire", "lee");
        Given.Ok(given.Engine.Block(given.Now, "rita", "bo"));
        Given.Ok(given.Engine.ReportSpam(given.Now, "pat", pat.Steps[0].MessageId));
        var unenrolled = Given.Ok(given.Engine.Unenroll(given.Now, "rita", "hire", "lee"));
        Assert.Equal((EnrollmentStatus.Stopped, EnrollmentNames.Unenrolled), (unenrolled.Status, unenrolled.Reason));
        given.Refuses(RefusalCode.NotEnrolled, () => given.Engine.Unenroll(given.Now, "rita", "hire", "lee"));
        RunUntil(given, given.Now.AddDays(3));
        Assert.Equal((EnrollmentStatus.Stopped, EnrollmentNames.Blocked, 1), (bo.Status, bo.Reason, bo.StepsSent));
        Assert.Equal((EnrollmentStatus.Stopped, EnrollmentNames.Reported, 1), (pat.Status, pat.Reason, pat.StepsSent));
        Assert.Equal(1, lee.StepsSent);
        Assert.Equal(15 - 3, given.Credits("rita"));
    }

    [Fact]
    public void A_refused_step_stops_with_its_code_and_charges_nothing()
    {
        var given = Recruiter("sam");
        Define(given, "hire", Seeds);
        var e = Enrol(given, "hire", "sam");
        Given.Ok(given.Engine.ChangeSettings(given.Now, "sam", null, false, null));
        RunUntil(given, given.Now.AddDays(3));
        Assert.Equal((EnrollmentStatus.Stopped, "recipient-unavailable", 1), (e.Status, e.Reason, e.StepsSent));
        Assert.Contains("does not accept InMail", e.ReasonMessage, StringComparison.Ordinal);
        Assert.Equal(14, given.Credits("rita"));
    }

    [Fact]
    public void A_thread_that_already_holds_unanswered_InMails_stops_the_sequence_at_the_thread_limit()
    {
        var given = Recruiter("sam");
        given.Sends("rita", "sam");
        Define(given, "hire", Seeds);
        var quote = Given.Ok(given.Engine.QuoteEnrollment(given.Now, "rita", "hire", ["sam"]));
        Assert.Equal((3, 4, "thread-limit-reached"), (quote.Rows[0].CreditsAtMost, quote.Rows[0].StopsAtStep, quote.Rows[0].Code));
        Assert.Contains(quote.Warnings, w => w.Contains("thread limit stops the sequence at step 4", StringComparison.Ordinal));
        var e = Enrol(given, "hire", "sam");
        RunUntil(given, given.Now.AddDays(14));
        Assert.Equal((EnrollmentStatus.Stopped, "thread-limit-reached", 3), (e.Status, e.Reason, e.StepsSent));
        Assert.Equal(15 - 4, given.Credits("rita"));
    }

    [Fact]
    public void A_step_refused_on_the_daily_limit_waits_until_the_limit_allows_it_and_the_next_keeps_its_day()
    {
        var given = Recruiter("sam");
        given.Buy("rita", 25);
        var others = given.Many("x", 20);
        given.At(Given.Utc(2026, 1, 5, 9));
        foreach (var other in others)
        {
            given.Sends("rita", other);
        }
        Define(given, "hire", [new(0, "intro"), new(3, "nudge")]);
        given.At(Given.Utc(2026, 1, 5, 10));
        var credits = given.Credits("rita");
        var e = Enrol(given, "hire", "sam");
        Assert.Equal((EnrollmentStatus.Active, 0, "daily-limit-reached"), (e.Status, e.StepsSent, e.WaitingOn));
        Assert.Equal(Given.Utc(2026, 1, 6, 9), e.NextDueAt);
        Assert.Equal(credits, given.Credits("rita"));
        RunUntil(given, Given.Utc(2026, 1, 6, 8, 59, 59));
        Assert.Equal(0, e.StepsSent);
        RunUntil(given, Given.Utc(2026, 1, 6, 9));
        Assert.Equal((1, (string?)null), (e.StepsSent, e.WaitingOn));
        // Step 2 still runs at enrolment + 3 days.
        Assert.Equal(Given.Utc(2026, 1, 8, 10), e.NextDueAt);
    }

    [Fact]
    public void A_step_refused_on_the_recipients_weekly_limit_waits_for_the_oldest_to_leave_the_week()
    {
        var given = Recruiter("sam");
        var senders = given.Many("s", 20);
        foreach (var sender in senders)
        {
            given.Subscribe(sender);
        }
        given.At(Given.Utc(2026, 1, 5, 8));
        foreach (var sender in senders)
        {
            given.Sends(sender, "sam");
        }
        Define(given, "hire", [new(0, "intro")]);
        given.At(Given.Utc(2026, 1, 6, 8));
        var e = Enrol(given, "hire", "sam");
        Assert.Equal(("recipient-limit-reached", Given.Utc(2026, 1, 12, 8)), (e.WaitingOn, e.NextDueAt));
        RunUntil(given, Given.Utc(2026, 1, 12, 8));
        Assert.Equal(EnrollmentStatus.Finished, e.Status);
    }

    [Fact]
    public void Enrolments_alternate_A_and_B_in_enrolment_order_and_results_count_each_variant()
    {
        var given = Recruiter("a1", "a2", "a3", "a4", "a5");
        Define(given, "ab", [new(0, Variants: ["intro", "intro-b"]), new(3, "nudge")]);
        var all = Given.Ok(given.Engine.Enroll(given.Now, "rita", "ab", ["a1", "a2", "a3", "a4", "a5"]));
        Assert.Equal("ABABA", string.Concat(all.Select(e => e.Variant)));
        Assert.Equal("Hello A1", MessageOf(given, all[0].Steps[0]).Subject);
        Assert.Equal("A lead role, A2?", MessageOf(given, all[1].Steps[0]).Subject);
        given.At(given.Now.AddHours(1));
        Given.Ok(given.Respond("a2", all[1].Steps[0].MessageId, ResponseKind.Accept));
        var results = all[0].Sequence.Results();
        Assert.Equal([("A", 3, 0, 0), ("B", 2, 1, 1), (null, 0, 0, 0)], results.Select(r => (r.Variant, r.Sent, r.Replied, r.Positive)).ToArray());
        // The follow-up uses "Re: " + the variant's own subject.
        RunUntil(given, given.Now.AddDays(3));
        Assert.Equal("Re: A lead role, A4?", MessageOf(given, all[3].Steps[1]).Subject);
    }

    [Fact]
    public void The_budget_counts_credits_spent_minus_refunded_and_stops_every_enrolment_once_reached()
    {
        var given = Recruiter("a", "b", "c", "d");
        Define(given, "capped", [new(0, "intro"), new(3, "nudge")], budget: 2);
        var a = Enrol(given, "capped", "a");
        var b = Enrol(given, "capped", "b");
        Assert.Equal(2, a.Sequence.NetCredits);
        // A's answer brings a credit back, so the budget has room for C.
        Given.Ok(given.Respond("a", a.Steps[0].MessageId));
        Assert.Equal(1, a.Sequence.NetCredits);
        var c = Enrol(given, "capped", "c");
        Assert.Equal((EnrollmentStatus.Active, 1), (c.Status, c.StepsSent));
        Assert.Equal(2, a.Sequence.NetCredits);
        var quote = Given.Ok(given.Engine.QuoteEnrollment(given.Now, "rita", "capped", ["d"]));
        Assert.Equal(0, quote.BudgetLeft);
        Assert.Contains(quote.Warnings, w => w.Contains("budget-exhausted", StringComparison.Ordinal));
        // Day 3: B's step 2 would cost a credit with the budget spent: every active enrolment stops.
        RunUntil(given, given.Now.AddDays(3));
        Assert.Equal((EnrollmentStatus.Stopped, EnrollmentNames.BudgetExhausted, 1), (b.Status, b.Reason, b.StepsSent));
        Assert.Equal((EnrollmentStatus.Stopped, EnrollmentNames.BudgetExhausted, 1), (c.Status, c.Reason, c.StepsSent));
        Assert.Equal(EnrollmentNames.Responded, a.Reason);
    }

    [Fact]
    public void Best_window_steps_land_in_the_recipients_window_ahead_of_UTC()
    {
        var given = Recruiter("bo");
        Given.Ok(given.Engine.UpdateProfile("bo", new Network.Profile("Bo Chen", TimeZone: "Asia/Tokyo")));
        Define(given, "tokyo", [new(0, "intro"), new(3, "nudge")], best: true);
        // Monday 00:00 UTC is Monday 09:00 in Tokyo: the first window is Tuesday 07:00 JST, Monday 22:00 UTC.
        var e = Enrol(given, "tokyo", "bo");
        Assert.Equal((0, Given.Utc(2026, 1, 5, 22)), (e.StepsSent, e.NextDueAt));
        RunUntil(given, Given.Utc(2026, 1, 5, 22));
        // Step 2: enrolment + 3 days is Thursday 09:00 JST; the window is Thursday 17:00 JST, 08:00 UTC.
        Assert.Equal(Given.Utc(2026, 1, 8, 8), e.NextDueAt);
        RunUntil(given, Given.Utc(2026, 1, 8, 8));
        Assert.Equal(EnrollmentStatus.Finished, e.Status);
    }

    [Fact]
    public void Malformed_sequences_and_bad_enrolments_are_refused_and_change_nothing()
    {
        var given = Recruiter("sam");
        Define(given, "hire", Seeds);
        var before = StateJson.Snapshot(given.Engine, given.Now, includeActivity: true);
        Assert.Equal(RefusalCode.InvalidSequence, given.Engine.SaveSequence(given.Now, "rita", "x", [], false, null).Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidSequence, given.Engine.SaveSequence(given.Now, "rita", "x", [new(0, "intro"), new(2, "nudge"), new(2, "last")], false, null).Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidSequence, given.Engine.SaveSequence(given.Now, "rita", "x", [new(0, Variants: ["intro", "intro"])], false, null).Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidSequence, given.Engine.SaveSequence(given.Now, "rita", "x", [new(0, "intro"), new(400, "nudge")], false, null).Refusal!.Code);
        Assert.Equal(RefusalCode.UnknownTemplate, given.Engine.SaveSequence(given.Now, "rita", "x", [new(0, Variants: ["intro", "nope"])], false, null).Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.SaveSequence(given.Now, "rita", "has space", Seeds, false, null).Refusal!.Code);
        Assert.Equal(RefusalCode.UnknownSequence, given.Engine.Enroll(given.Now, "rita", "nope", ["sam"]).Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.Enroll(given.Now, "rita", "hire", []).Refusal!.Code);
        var mixed = given.Engine.Enroll(given.Now, "rita", "hire", ["sam", "ghost"]);
        Assert.Equal(RefusalCode.UnknownMember, mixed.Refusal!.Code);
        Assert.Contains("Nobody was enrolled", mixed.Refusal.Message, StringComparison.Ordinal);
        Assert.Equal(before, StateJson.Snapshot(given.Engine, given.Now, includeActivity: true));
        // A sequence with enrolments keeps the steps it sent; one without can be changed.
        Enrol(given, "hire", "sam");
        Assert.Equal(RefusalCode.InvalidSequence, given.Engine.SaveSequence(given.Now, "rita", "hire", [new(0, "intro")], false, null).Refusal!.Code);
        Assert.Equal(RefusalCode.AlreadyEnrolled, given.Engine.Enroll(given.Now, "rita", "hire", ["sam"]).Refusal!.Code);
        Define(given, "other", [new(0, "intro")]);
        Assert.Equal(RefusalCode.AlreadyEnrolled, given.Engine.Enroll(given.Now, "rita", "other", ["sam"]).Refusal!.Code);
        Define(given, "other", [new(0, "intro-b")]);
    }

    [Fact]
    public void Running_a_step_is_never_early_and_once_only()
    {
        var given = Recruiter("sam");
        Define(given, "hire", [new(0, "intro"), new(3, "nudge")]);
        var e = Enrol(given, "hire", "sam");
        var due = e.NextDueAt!.Value;
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.RunStep(due.AddTicks(-1), "rita", "hire", "sam").Refusal!.Code);
        Given.Ok(given.Engine.RunStep(due, "rita", "hire", "sam"));
        Assert.Equal(RefusalCode.NotEnrolled, given.Engine.RunStep(due, "rita", "hire", "sam").Refusal!.Code);
        Assert.Empty(given.Engine.DueWork(due.AddDays(100)));
    }

    [Fact]
    public void Enrolments_leave_memory_with_their_owner_and_carry_on_when_they_come_back()
    {
        var given = Recruiter("sam", "bo");
        Define(given, "ab", [new(0, Variants: ["intro", "intro-b"]), new(3, "nudge")], budget: 5);
        Given.Ok(given.Engine.Enroll(given.Now, "rita", "ab", ["sam", "bo"]));
        Given.Ok(given.Respond("bo", given.Member("rita").Sequences["ab"].EnrollmentOf("bo")!.Steps[0].MessageId, ResponseKind.Accept));
        var source = new MemoryStateSource();
        source.Save(given.Engine.State);
        var reloaded = new InMailEngine(PlanCatalog.Default);
        reloaded.State.Attach(source, PlanCatalog.Default);
        var sequence = reloaded.State.FindMember("rita")!.Sequences["ab"];
        Assert.Equal((true, 5, 2), (sequence.HasAbTest, sequence.Budget!.Value, sequence.Enrollments.Count));
        var bo = sequence.EnrollmentOf("bo")!;
        Assert.Equal(('B', 1, true, true), (bo.Variant, bo.StepsSent, bo.Positive, bo.Steps[0].Refunded));
        Assert.NotNull(bo.RespondedAt);
        var sam = sequence.EnrollmentOf("sam")!;
        Assert.Same(sam, reloaded.State.FindMember("rita")!.ActiveEnrollmentOf("sam"));
        var due = reloaded.DueWork(given.Now.AddDays(3));
        Assert.Equal(2, due.Count);
        foreach (var item in due)
        {
            Assert.True(item.ToCommand().Apply(reloaded, item.At).IsSuccess);
        }
        Assert.Equal((EnrollmentStatus.Finished, 2), (sam.Status, sam.StepsSent));
        Assert.Equal(EnrollmentNames.Responded, bo.Reason);
    }
}
