using InMail.Storage;
using InMail.Web.Api;
using Microsoft.AspNetCore.Diagnostics;

namespace InMail.Web.Hosting;

/// <summary>
/// What a refused or failed request gets back (decision 005): on the API's paths an RFC 9457 problem,
/// as every API client expects; everywhere else the error page (<c>Pages/Error.cshtml</c>) in the
/// site's layout, because a person in a browser must not be shown JSON. Both keep the status.
/// </summary>
public static class ErrorHandling
{
    /// <summary>Where a status code's page is; re-executed there, so the page sees the original request (its id, its member).</summary>
    public const string PagePath = "/error/{0}";

    /// <summary>The paths machines call: the API, its documentation, the health check and the load test's endpoint.</summary>
    public static bool IsApi(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        return path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health")
            || path.StartsWithSegments("/bench");
    }

    /// <summary>The status an exception that escaped an endpoint is answered with.</summary>
    public static int StatusOf(Exception? error) => error switch
    {
        Microsoft.AspNetCore.Http.BadHttpRequestException bad => bad.StatusCode,
        StoreUnavailableException => StatusCodes.Status503ServiceUnavailable,
        _ when DatabaseUnreachable(error) => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>
    /// The database could not be reached or is shutting down (a dropped connection, a timeout, a server restart):
    /// what the driver calls transient. A read answers 503 <c>unavailable</c>, not a 500 with a stack trace.
    /// </summary>
    private static bool DatabaseUnreachable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is System.Data.Common.DbException { IsTransient: true })
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// A request the framework could not bind (<c>?limit=abc</c>) is the client's mistake, not the
    /// service's: one warning line with the reason, not an error with a stack trace.
    /// </summary>
    private static bool WarnOfBadRequests(ExceptionHandlerSuppressDiagnosticsContext context)
    {
        var log = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ErrorHandling).FullName!);
        if (DatabaseUnreachable(context.Exception))
        {
            Edge.DatabaseUnreachable(log, context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value ?? "", context.Exception.GetBaseException().Message);
            return true;
        }
        if (context.Exception is not Microsoft.AspNetCore.Http.BadHttpRequestException bad)
        {
            return false;
        }
        Edge.BadRequest(log, context.HttpContext.Request.Method, context.HttpContext.Request.Path.Value ?? "", bad.Message);
        return true;
    }

    /// <summary>
    /// The two error pipelines, first in the app. The page branch re-executes the request at
    /// <see cref="PagePath"/> through the rest of the pipeline, so the app must call <c>UseRouting</c>
    /// itself after this: WebApplication's implicit routing runs before everything else, and a
    /// re-executed request would then reach the endpoints with no endpoint chosen (a bare 404).
    /// </summary>
    public static void UseInMailErrors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(IsApi, api =>
        {
            var handler = api.New();
            handler.Run(async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                var status = StatusOf(error);
                var (code, detail) = error switch
                {
                    Microsoft.AspNetCore.Http.BadHttpRequestException => (status == 413 ? "body-too-large" : "invalid-input", "The request could not be understood: a parameter has the wrong form."),
                    StoreUnavailableException => ("unavailable", "The change could not be saved; nothing was done. Try again."),
                    _ when status == StatusCodes.Status503ServiceUnavailable => ("unavailable", "The database cannot be reached just now; nothing was done. Try again."),
                    _ => ("internal-error", "Something went wrong on our side; nothing you sent was lost."),
                };
                await Problems.WriteAsync(context, status, code, detail);
            });
            api.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = handler.Build(), SuppressDiagnosticsCallback = WarnOfBadRequests });
            api.UseStatusCodePages(async context =>
            {
                // Whatever the framework refuses before an endpoint runs (no route, wrong method, not JSON) is a problem too.
                var response = context.HttpContext.Response;
                if (response.ContentLength is null && !response.HasStarted)
                {
                    var (code, detail) = response.StatusCode switch
                    {
                        400 => ("invalid-input", "The request could not be understood."),
                        404 => ("not-found", "There is nothing at this address."),
                        405 => ("method-not-allowed", "This address does not take that method."),
                        413 => ("body-too-large", "The request body is larger than this service accepts."),
                        414 => ("uri-too-long", $"The address is longer than {Edge.MaxTargetBytes} bytes."),
                        415 => ("unsupported-media-type", "Send the body as application/json."),
                        431 => ("headers-too-large", $"The request's headers are larger than {Edge.MaxHeaderBytes} bytes in all."),
                        _ => ("error", "The request could not be served."),
                    };
                    await Problems.WriteAsync(context.HttpContext, response.StatusCode, code, detail);
                }
            });
        });
        app.UseWhen(context => !IsApi(context), pages =>
        {
            pages.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandlingPath = string.Format(System.Globalization.CultureInfo.InvariantCulture, PagePath, StatusCodes.Status500InternalServerError),
                StatusCodeSelector = StatusOf, // the page shows this status, not the path's 500
                SuppressDiagnosticsCallback = WarnOfBadRequests,
            });
            // A status without a body (NotFound(), no route, an expired antiforgery token, the sign-in limit) gets the page.
            pages.UseStatusCodePagesWithReExecute(PagePath);
        });
    }
}
