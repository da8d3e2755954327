using System.Security.Claims;
using System.Text.Encodings.Web;
using InMail.Web.Api;
using InMail.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace InMail.Web.Security;

/// <summary>Bearer tokens for the API, cookies for the pages; a request with an Authorization header is judged by its token only.</summary>
public static class Authentication
{
    public const string Bearer = "Bearer";
    public const string Cookie = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string Either = "BearerOrCookie";
    public const string OperatorPolicy = "operator";

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "inmail.session";

    /// <summary>The claim in the session cookie that names its server-side session (<see cref="Accounts.StartSessionAsync"/>).</summary>
    public const string SessionClaim = "inmail:session";

    public static IServiceCollection AddInMailAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "Bearer token or cookie", o =>
                o.ForwardDefaultSelector = context => context.Request.Headers.Authorization.Count > 0 ? Bearer : Cookie)
            .AddScheme<AuthenticationSchemeOptions, BearerHandler>(Bearer, null)
            .AddCookie(Cookie, o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict; // a cross-site form cannot ride on the session
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest; // Secure over HTTPS, also behind a trusted TLS proxy (InMail:TrustedProxies)
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.LoginPath = "/sign-in";
                o.Events.OnValidatePrincipal = ValidateSessionAsync;
                o.Events.OnRedirectToLogin = context => ChallengeOrRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ChallengeOrRedirect(context, StatusCodes.Status403Forbidden);
            });
        // Sessions last by real time, as tokens do: moving the demo clock a month ahead must not sign everyone out.
        // (The service's TimeProvider is the movable ServiceClock, which the cookie handler would otherwise use.)
        services.AddOptions<CookieAuthenticationOptions>(Cookie).Configure<ServiceClock>((o, clock) => o.TimeProvider = clock.Real);
        services.AddOptions<AuthenticationSchemeOptions>(Bearer).Configure<ServiceClock>((o, clock) => o.TimeProvider = clock.Real);
        services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, p => p.RequireAuthenticatedUser().RequireRole(Roles.Operator));
        return services;
    }

    public static ClaimsPrincipal ToClaims(Principal who, string scheme, string? session = null)
    {
        ArgumentNullException.ThrowIfNull(who);
        List<Claim> claims = [new Claim(ClaimTypes.NameIdentifier, who.Member), new Claim(ClaimTypes.Role, who.Role)];
        if (session is not null)
        {
            claims.Add(new Claim(SessionClaim, session));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>Signs in with a session cookie whose session the server holds, so that signing out ends it everywhere.</summary>
    public static async Task SignInWithSessionAsync(this HttpContext context, Accounts accounts, Principal who)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(accounts);
        var session = await accounts.StartSessionAsync(who, context.RequestAborted);
        await context.SignInAsync(Cookie, ToClaims(who, Cookie, session));
    }

    /// <summary>Ends the cookie session on the server, then clears the cookie: a copy of it no longer signs anyone in.</summary>
    public static async Task SignOutSessionAsync(this HttpContext context, Accounts accounts)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(accounts);
        if (context.User.FindFirstValue(SessionClaim) is { } session)
        {
            await accounts.EndSessionAsync(session, context.RequestAborted);
        }
        await context.SignOutAsync(Cookie);
    }

    /// <summary>A cookie is good only while its session is live on the server: signed out, expired or unknown, it signs nobody in.</summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var accounts = context.HttpContext.RequestServices.GetRequiredService<Accounts>();
        var session = context.Principal?.FindFirstValue(SessionClaim);
        if (session is null || !await accounts.IsSessionLiveAsync(session, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Cookie);
        }
    }

    /// <summary>The signed-in member; endpoints that call it require authentication.</summary>
    public static Principal Who(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        return new Principal(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("no signed-in member"),
            user.FindFirstValue(ClaimTypes.Role) ?? Roles.Member);
    }

    private static Task ChallengeOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            return Problems.WriteAsync(context.HttpContext, status, status == 401 ? "unauthenticated" : "forbidden",
                status == 401 ? "Sign in first: send a bearer token or the session cookie." : "You may not do this.");
        }
        if (status == StatusCodes.Status403Forbidden)
        {
            // There is no access-denied page to send a signed-in member to: the status gets the error page (ErrorHandling).
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>Checks <c>Authorization: Bearer imt_…</c> against the stored token hashes.</summary>
public sealed class BearerHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, Accounts accounts)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("only bearer tokens are accepted");
        }
        var who = await accounts.ResolveAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        return who is null
            ? AuthenticateResult.Fail("unknown or expired token")
            : AuthenticateResult.Success(new AuthenticationTicket(Authentication.ToClaims(who, Authentication.Bearer), Authentication.Bearer));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return Problems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "unauthenticated",
            Request.Headers.Authorization.Count > 0 ? "The access token is unknown, revoked or expired." : "Sign in first: send a bearer token.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.WriteAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "You may not do this.");
}
