using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InMail.LoadGen;

/// <summary>The few calls of the InMail API the set-up makes, and the two requests the load is made of.</summary>
public sealed class Api : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private readonly HttpClient _http;
    private readonly Uri _base;

    public Api(Uri baseUrl, int connections)
    {
        _base = baseUrl;
        _http = new HttpClient(new SocketsHttpHandler
        {
            // One connection per client: HTTP/1.1 keep-alive, as a pool of real clients would use.
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
        })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(60),
        };
        _http.DefaultRequestHeaders.ExpectContinue = false;
        SendUri = new Uri(baseUrl, "api/v1/messages");
        NoopUri = new Uri(baseUrl, "bench/noop");
    }

    public Uri SendUri { get; }

    public Uri NoopUri { get; }

    public HttpClient Http => _http;

    public void Dispose() => _http.Dispose();

    /// <summary>POSTs JSON and returns the status and the parsed body (or null).</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> PostAsync(string path, object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_base, path))
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)) { Headers = { ContentType = JsonType } },
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonNode> GetAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {text}");
        }
        return JsonNode.Parse(text)!;
    }

    /// <summary>Like <see cref="PostAsync"/>, but anything other than the expected status stops the program with the server's answer.</summary>
    public async Task<JsonNode?> MustPostAsync(string path, object body, string? token, HttpStatusCode expected)
    {
        var (status, answer) = await PostAsync(path, body, token);
        if (status != expected)
        {
            throw new InvalidOperationException($"POST {path}: expected {(int)expected}, got {(int)status}: {answer?.ToJsonString()}");
        }
        return answer;
    }

    /// <summary>The number of the last command in the server's log (GET /health).</summary>
    public async Task<long> LastSeqAsync()
    {
        var health = await GetAsync("health");
        return health["lastSeq"]!.GetValue<long>();
    }

    // ---------------------------------------------------------------- the load

    /// <summary>One InMail: the body is built per request, as a client would.</summary>
    public static HttpRequestMessage SendRequest(Uri uri, string bearer, string to, string subject, string body)
    {
        var json = new StringBuilder(64 + subject.Length + body.Length);
        json.Append("{\"to\":\"").Append(to).Append("\",\"subject\":\"").Append(subject).Append("\",\"body\":\"").Append(body).Append("\"}");
        var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json.ToString())),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("Authorization", bearer);
        return request;
    }

    /// <summary>The no-op: an empty POST, the same server and pipeline, no endpoint work.</summary>
    public static HttpRequestMessage NoopRequest(Uri uri) => new(HttpMethod.Post, uri) { Content = new ByteArrayContent([]) };
}
