using System.Buffers;
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
        // {"to":"bob","to":"eve"} is refused, not read as the last one: a proxy or a log may have read the first.
        options.AllowDuplicateProperties = false;
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
        byte[]? buffer = null;
        try
        {
            (buffer, var length) = await ReadLimitedAsync(request);
            if (length < 0)
            {
                return (null, Problems.Of(StatusCodes.Status413PayloadTooLarge, "body-too-large", $"The request body is larger than {MaxBodyBytes(request)} bytes."));
            }
            var value = JsonSerializer.Deserialize<T>(buffer.AsSpan(0, length), Options);
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
        finally
        {
            if (buffer is { Length: > 0 })
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private static long MaxBodyBytes(HttpRequest request) =>
        request.HttpContext.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Hosting.ServiceOptions>>()?.Value.MaxRequestBodyBytes ?? 64 * 1024;

    /// <summary>
    /// The body in a pooled buffer (the caller returns it), with its length, or a length of -1 when it
    /// is longer than the limit (checked here too, whatever server runs the app).
    /// </summary>
    private static async Task<(byte[] Buffer, int Length)> ReadLimitedAsync(HttpRequest request)
    {
        var max = MaxBodyBytes(request);
        if (request.ContentLength > max)
        {
            return ([], -1);
        }
        // Sized for the announced length (plus one byte, to see the end without growing), else 8 KB.
        var buffer = ArrayPool<byte>.Shared.Rent(request.ContentLength is { } announced ? (int)announced + 1 : 8192);
        var length = 0;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length), request.HttpContext.RequestAborted)) > 0)
            {
                length += read;
                if (length > max)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return ([], -1);
                }
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
            return (buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
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
        if (message.Contains("uplicate", StringComparison.Ordinal))
        {
            return $"The body names a field twice{where}.";
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
