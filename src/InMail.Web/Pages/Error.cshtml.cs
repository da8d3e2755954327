using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace InMail.Web.Pages;

/// <summary>What the page says about a status: a heading and a sentence in plain words.</summary>
public sealed record ErrorText(string Title, string Explanation);

/// <summary>
/// The error page of everything that is not the API (decision 005): the request that failed is
/// re-executed here (<c>Hosting/ErrorHandling.cs</c>), so the page keeps its status, its request id
/// and its signed-in member. Any method gets the page: a form post that failed is re-executed as a
/// post, and must not be refused again for its antiforgery token.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public ErrorText Text => Describe(Status);

    /// <summary>The id on every log line of the failed request, for support to find them.</summary>
    public string RequestId => HttpContext.TraceIdentifier;

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    /// <summary>Runs whatever the method (the page has no handlers): sets the status the page is shown with.</summary>
    public override void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        // After an exception the handler chose the status (503 for a store that cannot write), while
        // the path says 500; otherwise the path's status is the original one (or the one asked for).
        Status = HttpContext.Features.Get<IExceptionHandlerFeature>() is not null && Response.StatusCode >= 400
            ? Response.StatusCode
            : int.Parse((string)RouteData.Values["status"]!, System.Globalization.CultureInfo.InvariantCulture);
        Response.StatusCode = Status;
    }

    public static ErrorText Describe(int status) => status switch
    {
        400 => new("The page had expired",
            "The form had expired or was sent twice from an old page, so nothing was done. Go back, reload the page and try again."),
        401 => new("Sign in first", "This page is for signed-in members. Sign in, then try again."),
        403 => new("Not allowed", "Your account may not open this page."),
        404 => new("Page not found",
            "We could not find that page. The address may be mistyped, or what it showed is not there any more or is not yours to see."),
        405 => new("That did not work here", "This address cannot be used that way. Go back and use the page's own links and buttons."),
        413 => new("Too much at once", "What you sent was larger than we accept, so nothing was done. Send something shorter."),
        429 => new("Too many attempts", "Too many sign-in attempts came from your address in a short time. Wait a minute, then try again."),
        503 => new("Not saved", "The change could not be saved; nothing was done. Try again."),
        >= 500 => new("Something went wrong", "Something went wrong on our side; nothing you sent was lost. Try again in a moment."),
        _ => new("That did not work", "The request could not be served. Go back and try again."),
    };
}
