using System.Net;
using System.Text.Json.Nodes;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// The check every API test's responses go through (<see cref="ContractChecker"/>) can fail: the same
/// real responses pass against the served document and fail against a deliberately wrong copy of it.
/// </summary>
public sealed class ContractCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Real_responses_pass_the_served_document_and_fail_a_wrong_one()
    {
        await using var server = await InMailServer.StartAsync(Database.Sqlite);
        var amara = await ApiContract.Subscribed(server, "amara");
        var credits = await amara.GetAsync("/api/v1/members/me/credits");
        var creditsBody = await credits.Content.ReadAsStringAsync(Ct);
        var missing = await amara.GetAsync("/api/v1/members/nobody-here");
        var missingBody = await missing.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var document = JsonNode.Parse(await server.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), Ct))!.AsObject();
        var served = new ContractChecker(document);
        Assert.Empty(Check(served, "/api/v1/members/me/credits", credits, creditsBody));
        Assert.Empty(Check(served, "/api/v1/members/nobody-here", missing, missingBody));
        Assert.Empty(served.CheckRequestExamples());
        Assert.NotNull(document["paths"]!["/api/v1/messages"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]);

        // A wrong type for one property of the credits, a code the 404 does not list, and a status the operation does not declare.
        var wrong = document.DeepClone().AsObject();
        wrong["components"]!["schemas"]!["CreditsView"]!["properties"]!["usable"] = new JsonObject { ["type"] = "string" };
        var notFound = wrong["paths"]!["/api/v1/members/{id}"]!["get"]!["responses"]!["404"]!["content"]!["application/problem+json"]!["schema"]!;
        notFound["properties"]!["code"]!["enum"] = new JsonArray("unknown-team");
        var mutated = new ContractChecker(wrong);
        Assert.Contains(Check(mutated, "/api/v1/members/me/credits", credits, creditsBody), v => v.Contains("/usable", StringComparison.Ordinal));
        Assert.Contains(Check(mutated, "/api/v1/members/nobody-here", missing, missingBody), v => v.Contains("/code", StringComparison.Ordinal));

        wrong["paths"]!["/api/v1/members/{id}"]!["get"]!["responses"]!.AsObject().Remove("404");
        Assert.Contains(new ContractChecker(wrong).Check("GET", "/api/v1/members/nobody-here", 404, "application/problem+json", missingBody, ["X-Request-Id"]),
            v => v.Contains("status 404 is not declared", StringComparison.Ordinal));

        // A 201 without Location, and a response without its request id.
        Assert.Contains(served.Check("POST", "/api/v1/groups", 201, "application/json", """{"id":"g","name":"G","members":1,"joined":true}""", ["X-Request-Id"]),
            v => v.Contains("without a Location", StringComparison.Ordinal));
        Assert.Contains(served.Check("GET", "/api/v1/plans", 200, "application/json", "{}", []), v => v.Contains("no X-Request-Id", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Check(ContractChecker checker, string path, HttpResponseMessage response, string body) =>
        checker.Check(response.RequestMessage!.Method.Method, path, (int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body,
            [.. response.Headers.Select(h => h.Key), .. response.Content.Headers.Select(h => h.Key)]);
}
