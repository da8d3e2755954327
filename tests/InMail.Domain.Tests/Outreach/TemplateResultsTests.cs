using InMail.Domain.Messaging;
using InMail.Domain.Outreach;
using InMail.Domain.Tests.Rules;

namespace InMail.Domain.Tests.Outreach;

/// <summary>
/// Decision 013: messages remember their template; SPEC §9's measures per template, compared with the
/// most-used one; and A against B at each A/B step of a sequence. Worked by hand.
/// </summary>
public sealed class TemplateResultsTests
{
    private static Given Recruiter(params string[] candidates)
    {
        var given = new Given().Members("rita").Subscribe("rita").Members(candidates);
        Given.Ok(given.Engine.SaveTemplate(given.Now, "rita", "intro", "Hello {{firstName}}", "{{firstName}}, open to a chat?"));
        Given.Ok(given.Engine.SaveTemplate(given.Now, "rita", "alt", "A role for you", "Could we talk this week?"));
        return given;
    }

    private static Message SendTemplate(Given given, string to, string template) =>
        Given.Ok(given.Engine.Send(given.Now, new Draft("rita", to, Template: template))).Message;

    private static string Ids(TemplateReport report) => string.Join(",", report.Templates.Select(t => t.Template ?? "(typed)"));

    private static TemplateReport Report(Given given, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        Given.Ok(given.Engine.TemplateOutreach(given.Now, "rita", from, to));

    [Fact]
    public void With_no_inmails_there_are_no_rows_and_no_baseline()
    {
        var report = Report(Recruiter());
        Assert.Empty(report.Templates);
        Assert.Null(report.Baseline);
        Assert.Equal(200, report.MinimumPerArm);
    }

    [Fact]
    public void One_send_from_a_template_is_one_row_that_is_its_own_baseline()
    {
        var given = Recruiter("sam");
        var sent = SendTemplate(given, "sam", "intro");
        Assert.Equal("intro", sent.Template);

        var report = Report(given);
        var row = Assert.Single(report.Templates);
        Assert.Equal(("intro", true, 1, 0, 0.0), (row.Template, row.Saved, row.Measures.Delivered, row.Measures.Responded, row.Measures.ReplyRate));
        Assert.Equal("intro", report.Baseline);
        Assert.Null(row.AgainstBaseline);
    }

    [Fact]
    public void Typed_text_has_no_template_and_comes_last_compared_with_the_baseline()
    {
        var given = Recruiter("sam", "tom");
        var typed = given.Sends("rita", "sam").Message;
        Assert.Null(typed.Template);
        SendTemplate(given, "tom", "alt");
        given.After(TimeSpan.FromHours(1));
        Given.Ok(given.Respond("sam", typed.Id));

        var report = Report(given);
        Assert.Equal("alt,(typed)", Ids(report));
        var typedRow = report.Templates[1];
        Assert.False(typedRow.Saved);
        Assert.Equal((1, 1, 1.0), (typedRow.Measures.Delivered, typedRow.Measures.Responded, typedRow.Measures.ReplyRate));
        // 1 of 1 against 0 of 1: p = 1, difference +1, and far too few sends for a verdict.
        var c = typedRow.AgainstBaseline!;
        Assert.Equal((1, 1, 1, 0), (c.SentA, c.RepliedA, c.SentB, c.RepliedB));
        Assert.Equal(1.0, c.PValue!.Value, 12);
        Assert.Equal(ComparisonVerdict.NotEnoughData, c.Verdict);
    }

    [Fact]
    public void A_tie_in_sends_makes_the_smaller_id_the_baseline()
    {
        var given = Recruiter("sam", "tom");
        SendTemplate(given, "sam", "intro");
        SendTemplate(given, "tom", "alt");

        var report = Report(given);
        Assert.Equal("alt", report.Baseline);
        Assert.Equal("alt,intro", Ids(report));
        Assert.Null(report.Templates[0].AgainstBaseline);
        Assert.Equal(ComparisonVerdict.NotEnoughData, report.Templates[1].AgainstBaseline!.Verdict);
    }

    [Fact]
    public void A_deleted_template_keeps_its_row_and_is_no_longer_saved()
    {
        var given = Recruiter("sam");
        SendTemplate(given, "sam", "intro");
        Given.Ok(given.Engine.DeleteTemplate(given.Now, "rita", "intro"));
        Assert.False(Assert.Single(Report(given).Templates).Saved);
    }

    [Fact]
    public void The_period_counts_sends_from_inclusive_to_exclusive_and_a_reversed_one_is_invalid_input()
    {
        var given = Recruiter("sam", "tom");
        var first = given.Now;
        SendTemplate(given, "sam", "intro");
        given.After(TimeSpan.FromDays(1));
        SendTemplate(given, "tom", "alt");

        Assert.Equal("intro", Ids(Report(given, first, given.Now)));
        Assert.Equal("alt", Ids(Report(given, given.Now)));
        given.Refuses(RefusalCode.InvalidInput, () => given.Engine.TemplateOutreach(given.Now, "rita", given.Now, given.Now));
    }

    [Fact]
    public void Scheduled_sends_and_sequence_steps_record_their_template()
    {
        var given = Recruiter("sam", "tom", "uma");
        Given.Ok(given.Engine.Schedule(given.Now, "s1", new Draft("rita", "sam", Template: "intro"), given.Now + TimeSpan.FromHours(1), false));
        given.After(TimeSpan.FromHours(1));
        foreach (var due in given.Engine.DueWork(given.Now))
        {
            Assert.True(due.ToCommand().Apply(given.Engine, due.At).IsSuccess);
        }
        Given.Ok(given.Engine.SaveSequence(given.Now, "rita", "ab", [new SequenceStepSpec(0, Variants: ["intro", "alt"])], false, null));
        var enrolled = Given.Ok(given.Engine.Enroll(given.Now, "rita", "ab", ["tom", "uma"]));

        var scheduled = given.Engine.State.ConversationsOf("sam").Single().Messages.Single();
        Assert.Equal("intro", scheduled.Template);
        Assert.Equal("intro,alt", string.Join(",", enrolled.Select(e => given.Engine.State.FindMessage(e.Steps[0].MessageId)!.Template)));
    }

    [Fact]
    public void Past_the_minimum_a_clearly_better_template_is_named_and_a_close_one_is_not()
    {
        // 300 InMails of the baseline with 45 replies (15%), 250 of "bold" with 75 (30%), 220 of "close" with 35 (15.9%).
        var inmails = Make("base", 300, 45).Concat(Make("bold", 250, 75)).Concat(Make("close", 220, 35)).ToList();
        var report = TemplateReport.Of("rita", null, null, inmails, new CreditPrice(1000, 1, "pack"), 200, _ => true);

        Assert.Equal("base", report.Baseline);
        Assert.Equal("base,bold,close", Ids(report));
        var bold = report.Templates[1].AgainstBaseline!;
        Assert.Equal(ComparisonVerdict.ADoesBetter, bold.Verdict);
        Assert.Equal(0.15, bold.Difference!.Value, 12);
        var close = report.Templates[2].AgainstBaseline!;
        Assert.Equal(ComparisonVerdict.NoRealDifference, close.Verdict);
        Assert.True(close.PValue > 0.05);
    }

    private static IEnumerable<Message> Make(string template, int sent, int replied)
    {
        var at = Given.Start;
        for (var i = 0; i < sent; i++)
        {
            var m = new Message($"{template}-{i}", "rita", $"r{i}", SendPath.OpenProfile, "Hi", "Hello?", at, null, null, template);
            if (i < replied)
            {
                m.MarkResponded(ResponseKind.Reply, at + TimeSpan.FromHours(1));
            }
            yield return m;
        }
    }

    [Fact]
    public void A_sequence_compares_variant_A_with_variant_B_at_each_A_B_step()
    {
        var results = new List<StepResult>
        {
            new(1, 0, "A", "intro", 2, 1, 0, 2, 1),
            new(1, 0, "B", "alt", 2, 0, 0, 2, 0),
            new(2, 3, null, "nudge", 3, 1, 0, 3, 1),
        };
        var comparison = Assert.Single(VariantComparison.Of(results, 200));
        Assert.Equal((1, "intro", "alt"), (comparison.Step, comparison.TemplateA, comparison.TemplateB));
        // 1 of 2 against 0 of 2: the tables with 1 reply in all are (1,0) and (0,1), each 1/2: p = 1.
        Assert.Equal(1.0, comparison.Comparison.PValue!.Value, 12);
        Assert.Equal(0.5, comparison.Comparison.Difference);
        Assert.Equal(ComparisonVerdict.NotEnoughData, comparison.Comparison.Verdict);
    }

    [Fact]
    public void A_sequence_with_no_A_B_step_has_no_comparison_and_an_unsent_one_has_no_test()
    {
        Assert.Empty(VariantComparison.Of([new StepResult(1, 0, null, "intro", 0, 0, 0, 0, 0)], 200));
        var c = Assert.Single(VariantComparison.Of([new StepResult(1, 0, "A", "a", 0, 0, 0, 0, 0), new StepResult(1, 0, "B", "b", 0, 0, 0, 0, 0)], 200));
        Assert.Null(c.Comparison.PValue);
        Assert.Equal(ComparisonVerdict.NotEnoughData, c.Comparison.Verdict);
    }
}
