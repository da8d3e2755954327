using System.Net;
using static InMail.Integration.Tests.Api.ApiClient;

namespace InMail.Integration.Tests.Api;

/// <summary>CSV exports (issue 12): a member's InMails and ledger row by row, formulas neutralised, owners only, the operator's ledger of a period.</summary>
public sealed class ExportApiTests
{
    [Theory]
    [InlineData(Database.Sqlite)]
    [InlineData(Database.Postgres)]
    public async Task A_member_exports_their_InMails_and_ledger_and_nobody_else_can(Database database)
    {
        await using var server = await InMailServer.StartAsync(database);
        var op = await server.OperatorAsync();
        var rita = await server.MemberAsync("rita", "Rita Gomez");
        var sam = await server.MemberAsync("sam", "Sam Lee");
        await server.MemberAsync("pat", "Pat Kim");
        await Expect(await rita.PostAsync("/api/v1/members/me/subscription", new { plan = "premium-business" }), HttpStatusCode.Created);
        var first = await Expect(await rita.PostAsync("/api/v1/messages", new { to = "sam", subject = "=HYPERLINK(\"http://x\")", body = "Sam, a question?" }), HttpStatusCode.Created);
        await Expect(await rita.PostAsync("/api/v1/messages", new { to = "pat", subject = "Hello Pat", body = "Pat, a question?" }), HttpStatusCode.Created);
        var samMessage = first["message"]!["id"]!.GetValue<string>();
        await Expect(await sam.PostAsync($"/api/v1/messages/{samMessage}/responses", new { kind = "accept" }), HttpStatusCode.Created);

        var response = await rita.GetAsync("/api/v1/members/me/exports/inmails.csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString() ?? response.Headers.GetValues("Content-Disposition").First(), StringComparison.Ordinal);
        var lines = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("message,sent_at,to,to_name,path,subject,cost,opened_at,response,responded_at,outcome,refunded_at", lines[0]);
        Assert.Equal(3, lines.Length);
        // The subject a spreadsheet would run as a formula is written as text, quoted because it holds quotes.
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.Contains(",sam,Sam Lee,inmail,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",1,", lines[1], StringComparison.Ordinal);
        Assert.Contains(",accept,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith(samMessage + ",", lines[1], StringComparison.Ordinal);
        Assert.Contains(",pat,Pat Kim,inmail,Hello Pat,1,,,,,", lines[2], StringComparison.Ordinal);

        var ledger = (await (await rita.GetAsync("/api/v1/members/me/exports/ledger.csv")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("wallet,entry,at,kind,source,delta,lot,lot_expires,message,member,note", ledger[0]);
        Assert.Equal(["grant", "spend", "spend", "refund"], ledger.Skip(1).Select(l => l.Split(',')[3]).ToArray());
        Assert.All(ledger.Skip(1), l => Assert.StartsWith("member:rita,", l, StringComparison.Ordinal));

        // A period with nothing in it is the header alone; a bad bound is refused.
        var empty = await (await rita.GetAsync("/api/v1/members/me/exports/inmails.csv?to=2000-01-01T00:00:00Z")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Single(empty.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
        await Refused(await rita.GetAsync("/api/v1/members/me/exports/inmails.csv?from=yesterday"), HttpStatusCode.BadRequest, "invalid-input");

        // Another member, and the operator, cannot read Rita's; a member cannot read the operator's.
        await Refused(await sam.GetAsync("/api/v1/members/rita/exports/inmails.csv"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await sam.GetAsync("/api/v1/members/rita/exports/ledger.csv"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await op.GetAsync("/api/v1/members/rita/exports/ledger.csv"), HttpStatusCode.Forbidden, "forbidden");
        await Refused(await rita.GetAsync("/api/v1/operator/exports/ledger.csv"), HttpStatusCode.Forbidden, "forbidden");

        var all = (await (await op.GetAsync("/api/v1/operator/exports/ledger.csv")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ledger.Length, all.Length); // only Rita's wallet has entries
    }
}
