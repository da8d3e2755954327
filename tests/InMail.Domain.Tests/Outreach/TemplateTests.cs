using InMail.Domain.Catalog;
using InMail.Domain.Network;
using InMail.Domain.Outreach;
using InMail.Domain.Tests.Rules;
using InMail.Domain.WorkingSet;

namespace InMail.Domain.Tests.Outreach;

/// <summary>SPEC §10 templates: the placeholder language, rendering with fallbacks, saving, and their place in the member's document.</summary>
public sealed class TemplateTests
{
    private static readonly Profile Ada = new("Ada King Lovelace", "Analyst", "Engines Ltd", "Europe/London");
    private static readonly Profile Rita = new("Rita Gomez", null, "Northwind");

    [Theory]
    [InlineData("Ada King Lovelace", "Ada", "Lovelace")]
    [InlineData("  Cher  ", "Cher", null)]
    [InlineData("Ada\tLovelace", "Ada", "Lovelace")]
    [InlineData("", null, null)]
    public void First_and_last_names_are_the_first_and_last_words(string name, string? first, string? last)
    {
        Assert.Equal(first, TemplateText.FirstName(name));
        Assert.Equal(last, TemplateText.LastName(name));
    }

    [Fact]
    public void Every_placeholder_renders_from_the_right_profile()
    {
        var text = "{{firstName}}|{{lastName}}|{{fullName}}|{{company}}|{{headline}}|{{myFirstName}}|{{myFullName}}|{{myCompany}}";
        Assert.Equal(("Ada|Lovelace|Ada King Lovelace|Engines Ltd|Analyst|Rita|Rita Gomez|Northwind", null), TemplateText.Render(text, Ada, Rita));
    }

    [Fact]
    public void An_empty_value_takes_the_fallback_and_without_one_is_unresolved()
    {
        var cher = new Profile("Cher");
        Assert.Equal(("Hi Cher at your team", null), TemplateText.Render("Hi {{firstName}} at {{company|your team}}", cher, Rita));
        Assert.Equal((null, "lastName"), TemplateText.Render("Dear {{lastName}}", cher, Rita));
        // An empty fallback is a fallback: the placeholder renders as nothing.
        Assert.Equal(("Hi ", null), TemplateText.Render("Hi {{company|}}", cher, Rita));
        // A value that is there ignores the fallback.
        Assert.Equal(("Hi Ada", null), TemplateText.Render("Hi {{firstName|there}}", Ada, Rita));
    }

    [Theory]
    [InlineData("Hi {{nickname}}")]
    [InlineData("Hi {{firstName")]
    [InlineData("Hi {{firstName {{company}}")]
    [InlineData("{{FirstName}}")]
    [InlineData("{{}}")]
    public void Malformed_placeholders_are_problems(string text) => Assert.NotNull(TemplateText.Problem(text));

    [Theory]
    [InlineData("No placeholders at all")]
    [InlineData("{{ firstName }} and {{company|a team | with bars}}")]
    [InlineData("A lone } or { is text")]
    public void Well_formed_text_has_no_problem(string text) => Assert.Null(TemplateText.Problem(text));

    [Fact]
    public void Saving_refuses_what_would_not_send_and_changes_nothing()
    {
        var given = new Given().Members("rita");
        Assert.Equal(RefusalCode.InvalidTemplate, given.Engine.SaveTemplate(given.Now, "rita", "t", null, "Hi {{nick}}").Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidTemplate, given.Engine.SaveTemplate(given.Now, "rita", "t", new string('s', 201), "Body?").Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidTemplate, given.Engine.SaveTemplate(given.Now, "rita", "t", null, "Bell\u0007?").Refusal!.Code);
        Assert.Equal(RefusalCode.InvalidInput, given.Engine.SaveTemplate(given.Now, "rita", "a b", null, "Body?").Refusal!.Code);
        Assert.Empty(given.Engine.State.FindMember("rita")!.Templates);
        // 200 grapheme clusters is the subject limit, not 200 UTF-16 units: 200 flags fit.
        Assert.True(given.Engine.SaveTemplate(given.Now, "rita", "flags", string.Concat(Enumerable.Repeat("\U0001F1EB\U0001F1F7", 200)), "Body?").IsSuccess);
    }

    [Fact]
    public void A_member_keeps_at_most_the_catalogs_number_of_templates_and_may_still_replace_one()
    {
        var given = new Given().Members("rita");
        var limit = PlanCatalog.Default.Policy.TemplatesPerMember;
        for (var i = 0; i < limit; i++)
        {
            Assert.True(given.Engine.SaveTemplate(given.Now, "rita", $"t{i}", null, $"Body {i}?").IsSuccess);
        }
        var refused = given.Engine.SaveTemplate(given.Now, "rita", "one-more", null, "Body?");
        Assert.Equal(RefusalCode.InvalidTemplate, refused.Refusal!.Code);
        Assert.True(given.Engine.SaveTemplate(given.Now, "rita", "t7", "New", "Replaced?").IsSuccess);
        Assert.Equal(limit, given.Engine.State.FindMember("rita")!.Templates.Count);
        Assert.Equal("Replaced?", given.Engine.State.FindMember("rita")!.Templates["t7"].Body);
    }

    [Fact]
    public void Templates_leave_memory_with_their_member_and_come_back_whole()
    {
        var given = new Given().Members("rita", "sam");
        Assert.True(given.Engine.SaveTemplate(given.Now, "rita", "intro", "Hi {{firstName}}", "Coffee at {{company|your office}}?").IsSuccess);
        var source = new MemoryStateSource();
        source.Save(given.Engine.State);
        var reloaded = new InMailEngine(PlanCatalog.Default);
        reloaded.State.Attach(source, PlanCatalog.Default);
        var template = reloaded.State.FindMember("rita")!.Templates["intro"];
        Assert.Equal(new MessageTemplate("intro", "Hi {{firstName}}", "Coffee at {{company|your office}}?", given.Now), template);
        var sent = reloaded.Send(given.Now, new Draft("rita", "sam", Template: "intro"));
        Assert.Equal(RefusalCode.InMailRequiresPaidPlan, sent.Refusal!.Code); // rendered, then decided like any send
    }
}
