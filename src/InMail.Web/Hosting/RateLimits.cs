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
            limiter.AddPolicy(SignIn, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = (context, _) =>
            {
                context.HttpContext.Response.Headers.RetryAfter = "60";
                return new ValueTask(Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "rate-limited",
                    "Too many sign-in attempts from your address; wait a minute."));
            };
        });
    }
}
