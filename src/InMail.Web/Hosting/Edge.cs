using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InMail.Web.Hosting;

/// <summary>
/// What every response carries and what every request is held to before the app looks at it:
/// security headers, the request-size limits answered as problems, and the forwarded headers of a
/// trusted TLS proxy.
/// </summary>
public static partial class Edge
{
    /// <summary>The longest request target (path and query) the app serves; longer gets 414 uri-too-long.</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>The most header bytes (names and values) the app serves; more gets 431 headers-too-large.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>
    /// Kestrel's own limits, above the app's: a request between the two reaches the app, which answers
    /// it as a problem; one beyond them Kestrel refuses alone, with an empty body (README).
    /// </summary>
    public static void RaiseKestrelLimits(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = 8 * MaxTargetBytes;
        limits.MaxRequestHeadersTotalSize = 4 * MaxHeaderBytes;
    }

    public const string PagesPolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    /// <summary>The API's documentation page (Swagger UI): its scripts are files, but it styles elements inline and draws icons from data: URIs.</summary>
    public const string DocsPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
        + "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    /// <summary>The headers every response gets, set as it starts, so that error responses (whose headers are cleared) get them too.</summary>
    public static void UseEdgeHeaders(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            // Clients can pass their own request id; it is echoed and appears on every log line of the request.
            if (context.Request.Headers["X-Request-Id"] is [{ Length: > 0 and <= 64 } id] && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                context.TraceIdentifier = id;
            }
            context.Response.OnStarting(() =>
            {
                Apply(context);
                return Task.CompletedTask;
            });
            await next(context);
        });
    }

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        var path = context.Request.Path;
        headers["X-Request-Id"] = context.TraceIdentifier;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        headers["Permissions-Policy"] = PermissionsPolicy;
        if (path.StartsWithSegments("/api/docs", StringComparison.Ordinal))
        {
            headers.ContentSecurityPolicy = DocsPolicy;
        }
        else if (!path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            // The pages load nothing from elsewhere and run no inline script (decision 005).
            headers.ContentSecurityPolicy = PagesPolicy;
        }
        if (path.StartsWithSegments("/api/v1", StringComparison.Ordinal) || path.StartsWithSegments("/health", StringComparison.Ordinal))
        {
            // Answers are one member's own (tokens above all): no cache, shared or private, keeps them.
            headers.CacheControl = "no-store";
        }
        if (context.Response.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The body was not read: close rather than make the client send it all or the server drain it.
            headers.Connection = "close";
        }
    }

    /// <summary>Refuses request targets and headers over the app's limits with a status the error pipelines turn into a problem or a page.</summary>
    public static void UseRequestLimits(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            var target = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
            if (target.Length > MaxTargetBytes)
            {
                context.Response.StatusCode = StatusCodes.Status414UriTooLong;
                return;
            }
            long headerBytes = 0;
            foreach (var (name, values) in context.Request.Headers)
            {
                headerBytes += name.Length + 4;
                foreach (var value in values)
                {
                    headerBytes += value?.Length ?? 0;
                }
            }
            if (headerBytes > MaxHeaderBytes)
            {
                context.Response.StatusCode = StatusCodes.Status431RequestHeaderFieldsTooLarge;
                context.Response.Headers.Connection = "close";
                return;
            }
            await next(context);
        });
    }

    /// <summary>
    /// Behind a TLS-terminating proxy the app sees plain HTTP; the proxy's <c>X-Forwarded-Proto</c>
    /// (and <c>-For</c>) are believed only from the addresses in <see cref="ServiceOptions.TrustedProxies"/>,
    /// so cookies are marked Secure and the client's address is the one rate limits count.
    /// </summary>
    public static void UseTrustedProxies(this IApplicationBuilder app, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var entries = options.TrustedProxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (entries.Length == 0)
        {
            return;
        }
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var entry in entries)
        {
            if (System.Net.IPNetwork.TryParse(entry, out var network))
            {
                forwarded.KnownIPNetworks.Add(network);
            }
            else if (IPAddress.TryParse(entry, out var address))
            {
                forwarded.KnownProxies.Add(address);
            }
            else
            {
                throw new InvalidOperationException($"InMail:TrustedProxies holds '{entry}', which is neither an IP address nor a network like 10.0.0.0/8.");
            }
        }
        app.UseForwardedHeaders(forwarded);
    }

    /// <summary>A request the framework refused before an endpoint ran (a query value of the wrong form): a warning, without a stack trace.</summary>
    [LoggerMessage(EventId = 5001, Level = LogLevel.Error, Message = "The database could not be reached for {Method} {Path} (answered 503 unavailable): {Reason}")]
    public static partial void DatabaseUnreachable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}")]
    public static partial void BadRequest(ILogger logger, string method, string path, string reason);
}
