using InMail.Web.Api;
using Microsoft.AspNetCore.Antiforgery;

namespace InMail.Web.Security;

/// <summary>
/// A change under <c>/api</c> that rides on the session cookie must come from this site: with the
/// pages' antiforgery token (the <c>RequestVerificationToken</c> header) or an <c>Origin</c> header
/// naming this very origin. Otherwise another site (or a sibling subdomain, which SameSite does not
/// stop) could make a signed-in member's browser post to the API, even with no body at all. Bearer
/// tokens are sent only by a client that holds them, so requests with one are not checked.
/// </summary>
public static class CrossSiteRequests
{
    public const string Code = "cross-site-request";

    public static IApplicationBuilder UseCrossSiteRequestCheck(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            if (NeedsCheck(context.Request) && !IsSameOrigin(context.Request)
                && !await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context))
            {
                await Problems.WriteAsync(context, StatusCodes.Status403Forbidden, Code,
                    "A change made with the session cookie needs the page's antiforgery token (RequestVerificationToken header) or an Origin header "
                    + "naming this site; API clients send a bearer token instead.");
                return;
            }
            await next(context);
        });
    }

    private static bool NeedsCheck(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
        && !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        && request.Headers.Authorization.Count == 0
        && request.Cookies.ContainsKey(Authentication.CookieName);

    private static bool IsSameOrigin(HttpRequest request) =>
        request.Headers.Origin is [{ } origin] && string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase);
}
