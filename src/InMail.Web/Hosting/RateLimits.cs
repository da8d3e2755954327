using System.Threading.RateLimiting;
using InMail.Web.Api;

namespace InMail.Web.Hosting;

/// <summary>Sign-in and registration are limited per client address, so passwords cannot be guessed at speed.</summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";

    public static IServiceCollection AddInMailRateLimits(this IServiceCollection services, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Only attempts count: loading the sign-in page guesses nothing, and when it took a permit
            // a member who opened the page and then signed in used two of them.
            limiter.AddPolicy(SignIn, context => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
                ? RateLimitPartition.GetNoLimiter("page visits")
                : RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = (context, _) =>
            {
                var http = context.HttpContext;
                http.Response.Headers.RetryAfter = "60";
                // The sign-in page's 429 has no body, so the status code pages show the error page (ErrorHandling).
                return ErrorHandling.IsApi(http)
                    ? new ValueTask(Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, "rate-limited",
                        "Too many sign-in attempts from your address; wait a minute."))
                    : ValueTask.CompletedTask;
            };
        });
    }
}
