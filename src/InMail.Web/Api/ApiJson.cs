using System.Text.Json;
using System.Text.Json.Serialization;

namespace InMail.Web.Api;

/// <summary>How the API reads and writes JSON: camelCase, enums as kebab-case strings, strict on input.</summary>
public static class ApiJson
{
    /// <summary>Nesting deeper than this is refused before it costs anything (request bodies are small, flat objects).</summary>
    public const int MaxDepth = 16;

    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.RespectNullableAnnotations = true;
        options.RespectRequiredConstructorParameters = true;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.MaxDepth = MaxDepth;
        options.AllowTrailingCommas = false;
        options.ReadCommentHandling = JsonCommentHandling.Disallow;
        return options;
    }

    /// <summary>
    /// Reads a request body as <typeparamref name="T"/>. Anything else (not JSON, malformed, too deep,
    /// wrong types, unknown or missing fields, too large) is a 4xx problem and nothing runs.
    /// </summary>
    public static async Task<(T? Value, ProblemResult? Problem)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Of(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Send the body as application/json."));
        }
        try
        {
            var bytes = await ReadLimitedAsync(request);
            if (bytes is null)
            {
                return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "body-too-large", $"The request body is larger than {MaxBodyBytes(request)} bytes."));
            }
            var value = JsonSerializer.Deserialize<T>(bytes, Options);
            return value is null
                ? (null, Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", "The body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            return (null, Problems.Of(StatusCodes.Status400BadRequest, "invalid-input", Describe(e)));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "body-too-large", "The request body is larger than this service accepts."));
        }
        catch (BadHttpRequestException e)
        {
            return (null, Problems.Of(e.StatusCode, "invalid-input", "The request body could not be read."));
        }
    }

    private static long MaxBodyBytes(HttpRequest request) =>
        request.HttpContext.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Hosting.ServiceOptions>>()?.Value.MaxRequestBodyBytes ?? 64 * 1024;

    /// <summary>The body, or null when it is longer than the limit (checked here too, whatever server runs the app).</summary>
    private static async Task<byte[]?> ReadLimitedAsync(HttpRequest request)
    {
        var max = MaxBodyBytes(request);
        if (request.ContentLength > max)
        {
            return null;
        }
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > max)
            {
                return null;
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    // The serializer's own message names .NET types; say what was wrong in the client's terms.
    private static string Describe(JsonException e)
    {
        var where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
        var message = e.Message;
        if (message.Contains("maximum configured depth", StringComparison.Ordinal))
        {
            return $"The JSON is nested deeper than {MaxDepth} levels.";
        }
        if (message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return $"The body has a field this request does not take{where}.";
        }
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var start = message.IndexOf("including: ", StringComparison.Ordinal);
            var fields = start < 0 ? "" : message[(start + "including: ".Length)..].TrimEnd('.');
            return $"The body lacks a required field{(fields.Length == 0 ? "" : ": " + fields)}.";
        }
        if (message.Contains("null", StringComparison.OrdinalIgnoreCase) && message.Contains("non-nullable", StringComparison.Ordinal))
        {
            return $"A field that must have a value is null{where}.";
        }
        if (e.InnerException is null && message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return $"A field has the wrong type{where}.";
        }
        return $"The body is not valid JSON for this request{where}.";
    }
}
