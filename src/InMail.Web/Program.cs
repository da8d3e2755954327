using InMail.Domain.Catalog;
using InMail.Domain.Time;
using InMail.Storage;
using InMail.Web.Api;
using InMail.Web.Hosting;
using InMail.Web.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(ServiceSetup.TranslateArguments(args));
builder.AddInMail();

await using var app = builder.Build(); // disposing closes the store after the last request
app.UseInMail();
await app.StartAsync();
foreach (var url in app.Urls)
{
    Log.Listening(app.Logger, url, url + "/api/docs");
}
if (app.Services.GetRequiredService<IOptions<ServiceOptions>>().Value.Mode == ServiceMode.Demo)
{
    var reach = ServiceSetup.DemoReach(app.Urls);
    Console.Out.WriteLine(reach);
    Log.DemoReach(app.Logger, reach);
}
await app.WaitForShutdownAsync();

/// <summary>The service's composition, shared by <c>dotnet run</c> and the tests' in-process servers.</summary>
public static partial class ServiceSetup
{
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary><c>--demo</c> and <c>--test-mode</c> are shorthands for <c>--InMail:Mode=Demo|Test</c>.</summary>
    public static string[] TranslateArguments(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Configuration is read once, at start (a change needs a restart). A reloading one watches the whole content
        // root, where the SQLite file lives by default (data/inmail.db): every page the writer wrote woke a watcher
        // thread, 0.11 of a core at 1,700 sends/s (bench/README.md, "Where the writer's time goes"). An operator's own
        // --hostBuilder:reloadConfigOnChange comes later and wins.
        return ["--hostBuilder:reloadConfigOnChange=false", .. args.Select(a => a switch
        {
            "--demo" => "--InMail:Mode=Demo",
            "--test-mode" => "--InMail:Mode=Test",
            _ => a,
        })];
    }

    public static void AddInMail(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true; // every line of a request carries its RequestId
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z' ";
        });
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

        var services = builder.Services;
        services.AddOptions<ServiceOptions>().Bind(builder.Configuration.GetSection(ServiceOptions.Section)).PostConfigure(o =>
        {
            if (string.IsNullOrWhiteSpace(o.Postgres) && Environment.GetEnvironmentVariable("INMAIL_POSTGRES") is { Length: > 0 } pg)
            {
                o.Postgres = pg;
            }
        });
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServiceOptions>>((kestrel, options) =>
        {
            kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBodyBytes;
            Edge.RaiseKestrelLimits(kestrel.Limits); // the app answers long addresses and headers itself (Edge.UseRequestLimits)
            kestrel.AddServerHeader = false;
        });
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true); // bad query strings become problems, below
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));

        services.AddSingleton(sp => CreateClock(sp.GetService<ClockSource>()?.Inner, sp.GetRequiredService<IOptions<ServiceOptions>>().Value));
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<ServiceClock>());
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<ServiceOptions>>().Value;
            var json = sp.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            // Resolved now, not when the store reports: it reports its stop while the container is being disposed.
            var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger<CommandStore>();
            var store = CommandStore.Open(new StoreOptions
                {
                    SqlitePath = options.Sqlite,
                    PostgresConnectionString = options.Postgres,
                    WorkingSetLimit = options.WorkingSetLimit,
                    OutreachCacheFacts = options.OutreachCacheFacts,
                    ResultJson = result => System.Text.Json.JsonSerializer.Serialize(result, result.GetType(), json),
                    Notify = notice => Log.Store(log, notice),
                },
                PlanCatalog.Default, sp.GetRequiredService<ServiceClock>());
            return store;
        });
        services.AddSingleton<Accounts>();
        // Cookie keys live beside the data, so a restart does not sign everyone out.
        services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(
            Path.GetDirectoryName(Path.GetFullPath(builder.Configuration[$"{ServiceOptions.Section}:Sqlite"] ?? new ServiceOptions().Sqlite))!, "keys")));
        services.AddHostedService<Startup>();
        services.AddSingleton<DueWork>();
        services.AddHostedService(sp => sp.GetRequiredService<DueWork>());
        services.AddSingleton<Runner>();
        services.AddInMailAuthentication();
        services.AddInMailRateLimits(builder.Configuration.GetSection(ServiceOptions.Section).Get<ServiceOptions>() ?? new ServiceOptions());
        // The pages (decision 005): every folder needs a signed-in member except the sign-in page and the error page.
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/");
            o.Conventions.AllowAnonymousToPage("/SignIn");
            o.Conventions.AllowAnonymousToPage("/SignUp");
            o.Conventions.AllowAnonymousToPage("/Error");
        });
        UseWebRootBesideTheAssembly(builder);
        services.AddOpenApi("v1", o => o.AddInMailContract());
    }

    /// <summary>
    /// What demo mode tells at start about who can reach it: its sign-ins are public, so by default
    /// (<see cref="DefaultUrl"/>) it listens on loopback only, and says how to open it up.
    /// </summary>
    public static string DemoReach(IEnumerable<string> urls)
    {
        ArgumentNullException.ThrowIfNull(urls);
        var list = urls.ToList();
        var shown = string.Join(", ", list);
        return list.All(IsLoopback)
            ? $"Demo mode listens on loopback only ({shown}): other machines cannot reach it. Its sign-ins are public; to open it anyway, pass --urls http://0.0.0.0:5080."
            : $"Demo mode listens beyond loopback ({shown}): anyone who reaches it can sign in as a demo member, whose passwords are public.";
    }

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address)));

    /// <summary>
    /// The service clock over the tests' time source or the system's. In test mode a
    /// <see cref="ServiceOptions.ClockStart"/> starts it at that instant and stops it there: a
    /// replayed script sets it to each step's instant, and a clock that kept running between that
    /// request and the step's own would shift every step by a few milliseconds, enough to move a
    /// send across a window's edge ("exactly 90 days later" must be exactly 90 days).
    /// </summary>
    internal static ServiceClock CreateClock(TimeProvider? source, ServiceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode != ServiceMode.Test || options.ClockStart is not { } start)
        {
            return new ServiceClock(source ?? TimeProvider.System);
        }
        var clock = new ServiceClock(source ?? new SettableClock(start));
        clock.Set(start);
        return clock;
    }

    public static void UseInMail(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseTrustedProxies(app.Services.GetRequiredService<IOptions<ServiceOptions>>().Value); // first: the scheme decides Secure cookies and Origin checks
        app.UseEdgeHeaders();
        app.UseInMailErrors(); // problems for the API, the error page for the rest
        app.UseRequestLimits();
        app.UseStaticFiles();
        app.UseRouting(); // here, after the error pipelines, so that a request they re-execute at /error/{status} is routed again
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseCrossSiteRequestCheck();
        app.UseAuthorization();

        app.MapOpenApi("/openapi/{documentName}.json");
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api/docs";
            o.SwaggerEndpoint("/openapi/v1.json", "InMail API v1");
            o.DocumentTitle = "InMail API";
        });
        app.MapGet("/health", (CommandStore store, TimeProvider clock) =>
            store.IsHealthy
                ? Results.Json(new HealthView("ok", store.Dialect, store.LastSeq, clock.GetUtcNow(), store.ClaimConflicts), ApiJson.Options)
                : Results.Json(new HealthView("failing", store.Dialect, store.LastSeq, clock.GetUtcNow(), store.ClaimConflicts), ApiJson.Options, statusCode: 503))
            .WithSummary("Liveness and readiness: the database is writable").Produces<HealthView>();
        app.MapPost("/bench/noop", () => Results.NoContent()).WithSummary("Does nothing: the baseline of the load test").ExcludeFromDescription();
        app.MapInMailApi();
        app.MapRazorPages();
    }

    /// <summary>
    /// The stylesheet and script are copied beside the assembly at build, so the server finds them
    /// whatever directory it is started from (the content root is the working directory).
    /// </summary>
    private static void UseWebRootBesideTheAssembly(WebApplicationBuilder builder)
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!Directory.Exists(builder.Environment.WebRootPath) && Directory.Exists(beside))
        {
            builder.Environment.WebRootPath = beside;
            builder.Environment.WebRootFileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(beside);
        }
    }
}

/// <summary>Tests put their own time source under the service clock by registering one of these.</summary>
public sealed record ClockSource(TimeProvider Inner);

/// <summary>The entry point, named so the tests can host the service in-process.</summary>
public partial class Program;
