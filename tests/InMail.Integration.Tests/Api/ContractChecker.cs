using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace InMail.Integration.Tests.Api;

/// <summary>
/// Checks a response against the OpenAPI document with a real JSON-schema validator (JsonSchema.Net,
/// 2020-12, which OpenAPI 3.1 schemas are): the operation for the path and method, the status among
/// its responses, the media type among that response's content, the body against its schema, and
/// the headers every API response carries (X-Request-Id; Location on 201).
/// </summary>
public sealed class ContractChecker
{
    private static readonly ConcurrentDictionary<string, ContractChecker> ByDocument = new(StringComparer.Ordinal);

    private readonly JsonObject _defs;
    private readonly List<(string Method, string[] Segments, int Literals, string Template, JsonObject Operation)> _operations = [];
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new(StringComparer.Ordinal);

    public ContractChecker(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        // The schemas' $refs point at #/components/schemas/X; each validated schema carries them as #/$defs/X.
        var text = document.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal);
        var rewritten = JsonNode.Parse(text)!.AsObject();
        _defs = rewritten["components"]?["schemas"]?.AsObject() ?? [];
        foreach (var (template, item) in rewritten["paths"]!.AsObject())
        {
            var segments = template.Trim('/').Split('/');
            foreach (var (method, operation) in item!.AsObject())
            {
                _operations.Add((method.ToUpperInvariant(), segments, segments.Count(s => !s.StartsWith('{')), template, operation!.AsObject()));
            }
        }
    }

    /// <summary>The checker for the document a server serves (one per distinct document).</summary>
    public static async Task<ContractChecker> LoadAsync(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var text = await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        return ByDocument.GetOrAdd(text, t => new ContractChecker(JsonNode.Parse(t)!.AsObject()));
    }

    /// <summary>What is wrong with this response by the document; empty when it matches.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? mediaType, string body, IReadOnlyCollection<string> headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var problems = new List<string>();
        var where = $"{method} {path} → {status}";
        if (!headers.Contains("X-Request-Id", StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"{where}: no X-Request-Id header");
        }
        var segments = path.Trim('/').Split('/');
        var candidates = _operations.Where(o => Matches(o.Segments, segments)).ToList();
        var operation = candidates.Where(o => o.Method == method).OrderByDescending(o => o.Literals).FirstOrDefault();
        if (operation.Operation is null)
        {
            // No such operation: the document's general rule is a 404 (no path) or 405 (no method) problem.
            var expected = candidates.Count == 0 ? 404 : 405;
            if (status != expected || mediaType != "application/problem+json")
            {
                problems.Add($"{where}: no operation in the document, so a {expected} problem was expected, got {status} {mediaType}");
            }
            return problems;
        }
        var responses = operation.Operation["responses"]?.AsObject();
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (responses?[key] is not JsonObject response)
        {
            problems.Add($"{where}: status {status} is not declared for {method} {operation.Template} (declared: {string.Join(", ", responses?.Select(r => r.Key) ?? [])}); body: {Cut(body)}");
            return problems;
        }
        if (status == 201 && !headers.Contains("Location", StringComparer.OrdinalIgnoreCase))
        {
            problems.Add($"{where}: 201 Created without a Location header");
        }
        foreach (var header in headers.Where(h => h is "Idempotent-Replayed" or "Location"))
        {
            if (response["headers"]?[header] is null)
            {
                problems.Add($"{where}: header {header} is sent but not declared");
            }
        }
        var content = response["content"]?.AsObject();
        if (body.Length == 0)
        {
            return problems;
        }
        if (content is null || mediaType is null || content[mediaType] is not JsonObject media)
        {
            problems.Add($"{where}: a {mediaType} body, but the document declares {string.Join(", ", content?.Select(c => c.Key) ?? ["no body"])}");
            return problems;
        }
        if (media["schema"] is not JsonObject schemaNode || !mediaType.EndsWith("json", StringComparison.Ordinal))
        {
            return problems; // a file (a CSV export) is declared by its media type; only JSON bodies have a schema to meet
        }
        var schema = _schemas.GetOrAdd($"{method} {operation.Template} {status} {mediaType}", _ => Build(schemaNode));
        JsonNode? instance;
        try
        {
            instance = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            problems.Add($"{where}: the body is not JSON ({e.Message})");
            return problems;
        }
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!result.IsValid)
        {
            var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}"));
            problems.Add($"{where}: the body does not match the schema of {method} {operation.Template} {status}: {string.Join("; ", errors.Take(6))}; body: {Cut(body)}");
        }
        return problems;
    }

    /// <summary>What is wrong with the document's own request examples, each against its operation's body schema.</summary>
    public IReadOnlyList<string> CheckRequestExamples()
    {
        var problems = new List<string>();
        foreach (var (method, _, _, template, operation) in _operations)
        {
            if (operation["requestBody"]?["content"]?["application/json"] is JsonObject media && media["example"] is { } example
                && media["schema"] is JsonObject schema)
            {
                var result = Build(schema).Evaluate(example, new EvaluationOptions { OutputFormat = OutputFormat.List });
                if (!result.IsValid)
                {
                    var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"));
                    problems.Add($"{method} {template}: the request example {example.ToJsonString()} does not match its schema: {string.Join("; ", errors)}");
                }
            }
        }
        return problems;
    }

    private JsonSchema Build(JsonObject schema)
    {
        var root = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$defs"] = _defs.DeepClone(),
            ["allOf"] = new JsonArray(schema.DeepClone()),
        };
        return JsonSchema.FromText(root.ToJsonString());
    }

    private static bool Matches(string[] template, string[] path) =>
        template.Length == path.Length && template.Zip(path).All(p => p.First.StartsWith('{') ? p.Second.Length > 0 : p.First == p.Second);

    private static string Cut(string text) => text.Length <= 400 ? text : text[..400] + "…";
}

/// <summary>
/// Checks every API response a test client receives against the document (<see cref="ContractChecker"/>),
/// and keeps what did not match; the server fails the test at its end if anything did.
/// </summary>
public sealed class ContractRecorder(Func<Task<ContractChecker>> checker, ConcurrentQueue<string> violations) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await base.SendAsync(request, cancellationToken);
        var path = request.RequestUri!.IsAbsoluteUri ? request.RequestUri.AbsolutePath : request.RequestUri.OriginalString.Split('?')[0];
        if (!path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/api/docs", StringComparison.Ordinal))
        {
            return response;
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var headers = response.Headers.Select(h => h.Key).Concat(response.Content.Headers.Select(h => h.Key)).ToList();
        foreach (var problem in (await checker()).Check(request.Method.Method, path, (int)response.StatusCode,
            response.Content.Headers.ContentType?.MediaType, body, headers))
        {
            violations.Enqueue(problem);
        }
        return response;
    }
}
