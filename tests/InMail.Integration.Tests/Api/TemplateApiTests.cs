using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>SPEC §10 over HTTP: a member's templates are theirs alone; sends, quotes and the coach render them for the recipient.</summary>
public sealed class TemplateApiTests
{
    [Fact]
    public async Task Templates_are_saved_rendered_coached_and_kept_from_everyone_else()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await Expect(await rita.PostAsync("/api/v1/members/rita/subscription", new { plan = "premium-business", billing = "monthly" }), HttpStatusCode.Created);

        var saved = await Expect(await rita.PutAsync("/api/v1/members/me/templates/intro",
            new { subject = "Hi {{firstName}}", body = "Hi {{firstName}}, {{company|your team}} looks great. Coffee?" }), HttpStatusCode.OK);
        Assert.Equal("intro", saved["id"]!.GetValue<string>());
        Assert.Equal("Hi {{firstName}}", saved["subject"]!.GetValue<string>());
        Assert.Single((await rita.GetJson("/api/v1/members/rita/templates")).AsArray());

        // Bad text changes nothing.
        await Refused(await rita.PutAsync("/api/v1/members/me/templates/intro", new { body = "Hi {{nick}}" }), HttpStatusCode.BadRequest, "invalid-template");
        Assert.Equal("Hi {{firstName}}", (await rita.GetJson("/api/v1/members/me/templates/intro"))["subject"]!.GetValue<string>());
        await Refused(await rita.PutAsync("/api/v1/members/me/templates/no%20spaces", new { body = "Hi?" }), HttpStatusCode.BadRequest, "invalid-input");

        // Nobody else can read, change or delete them, nor send or coach with them: the template is looked up among the caller's own.
        await Refused(await sam.GetAsync("/api/v1/members/rita/templates"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.GetAsync("/api/v1/members/rita/templates/intro"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.PutAsync("/api/v1/members/rita/templates/intro", new { body = "Mine now?" }), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.DeleteAsync("/api/v1/members/rita/templates/intro"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.PostAsync("/api/v1/messages", new { to = "rita", template = "intro" }), HttpStatusCode.NotFound, "unknown-template");
        await Refused(await sam.PostAsync("/api/v1/coach", new { to = "rita", template = "intro" }), HttpStatusCode.NotFound, "unknown-template");
        await Refused(await op.GetAsync("/api/v1/members/rita/templates"), HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal("Hi {{firstName}}", (await rita.GetJson("/api/v1/members/me/templates/intro"))["subject"]!.GetValue<string>());

        // The coach reads the draft as Sam would: rendered, personal (a recipient placeholder), one question.
        var coached = await Expect(await rita.PostAsync("/api/v1/coach", new { to = "sam", template = "intro" }), HttpStatusCode.OK);
        Assert.Equal("Hi Sam, your team looks great. Coffee?", coached["body"]!.GetValue<string>());
        Assert.Empty(coached["findings"]!.AsArray());
        var typed = await Expect(await rita.PostAsync("/api/v1/coach", new { to = "sam", subject = "Hello", body = "We are hiring." }), HttpStatusCode.OK);
        Assert.Equal(["no-ask", "generic"], typed["findings"]!.AsArray().Select(f => f!["code"]!.GetValue<string>()));
        Assert.All(typed["findings"]!.AsArray(), f => Assert.StartsWith("Seed ", f!["source"]!.GetValue<string>(), StringComparison.Ordinal));

        // Quote and send render it the same way; the message holds the rendered text.
        var quote = await Expect(await rita.PostAsync("/api/v1/quotes", new { to = "sam", template = "intro" }), HttpStatusCode.OK);
        Assert.Equal("inmail", quote["path"]!.GetValue<string>());
        var sent = await Expect(await rita.PostAsync("/api/v1/messages", new { to = "sam", template = "intro" }), HttpStatusCode.Created);
        Assert.Equal("Hi Sam, your team looks great. Coffee?", sent["message"]!["body"]!.GetValue<string>());
        Assert.Equal("Hi Sam", sent["message"]!["subject"]!.GetValue<string>());
        await Refused(await rita.PostAsync("/api/v1/messages", new { to = "sam", template = "intro", body = "and text" }), HttpStatusCode.BadRequest, "invalid-input");

        var deleted = await Expect(await rita.DeleteAsync("/api/v1/members/me/templates/intro"), HttpStatusCode.OK);
        Assert.Equal("intro", deleted["id"]!.GetValue<string>());
        await Refused(await rita.DeleteAsync("/api/v1/members/me/templates/intro"), HttpStatusCode.NotFound, "unknown-template");
        await Refused(await rita.GetAsync("/api/v1/members/me/templates/intro"), HttpStatusCode.NotFound, "unknown-template");
    }
}
