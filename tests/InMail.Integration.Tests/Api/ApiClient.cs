using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InMail.Integration.Tests.Api;

/// <summary>A thin JSON client over one <see cref="HttpClient"/>, with the checks every API test makes.</summary>
public sealed class ApiClient(HttpClient http)
{
    public const string Password = "correct horse battery";

    public HttpClient Http { get; } = http;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<string> RegisterAsync(string id, string name)
    {
        var response = await PostAsync("/api/v1/auth/register", new { member = id, name, password = Password });
        var body = await Expect(response, HttpStatusCode.Created);
        return body["accessToken"]!.GetValue<string>();
    }

    public async Task<string> SignInAsync(string member, string password)
    {
        var response = await PostAsync("/api/v1/auth/token", new { member, password });
        var body = await Expect(response, HttpStatusCode.OK);
        return body["accessToken"]!.GetValue<string>();
    }

    public Task<HttpResponseMessage> GetAsync(string path) => Http.GetAsync(new Uri(path, UriKind.Relative), Ct);

    public Task<HttpResponseMessage> DeleteAsync(string path) => Http.DeleteAsync(new Uri(path, UriKind.Relative), Ct);

    public Task<HttpResponseMessage> PostAsync(string path, object? body = null, string? idempotencyKey = null) =>
        SendAsync(HttpMethod.Post, path, body, idempotencyKey);

    public Task<HttpResponseMessage> PutAsync(string path, object? body = null) => SendAsync(HttpMethod.Put, path, body, null);

    public Task<HttpResponseMessage> PatchAsync(string path, object? body = null) => SendAsync(HttpMethod.Patch, path, body, null);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = body is string raw ? new StringContent(raw, Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await Http.SendAsync(request, Ct);
    }

    /// <summary>Asserts the status and returns the JSON body (an empty object for 204).</summary>
    public static async Task<JsonNode> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    /// <summary>Asserts an RFC 9457 problem with the status and the code, and returns it.</summary>
    public static async Task<JsonNode> Refused(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await Expect(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, body["code"]?.GetValue<string>());
        Assert.Equal((int)status, body["status"]?.GetValue<int>());
        Assert.EndsWith("/" + code, body["type"]?.GetValue<string>(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(body["detail"]?.GetValue<string>()));
        return body;
    }

    public async Task<JsonNode> Ok(HttpResponseMessage response) => await Expect(response, HttpStatusCode.OK);

    public async Task<JsonNode> GetJson(string path) => await Expect(await GetAsync(path), HttpStatusCode.OK);

    public static string Json(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });
}
