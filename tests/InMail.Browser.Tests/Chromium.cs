using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(InMail.Browser.Tests.Chromium))]

// One browser test at a time: each starts a server (the demo ones seed a whole network) and drives
// Chromium, and on a busy machine running them side by side only made page loads miss their timeouts.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace InMail.Browser.Tests;

/// <summary>
/// One headless Debian Chromium for the whole run (each test gets its own context: its own cookies).
/// Playwright drives the installed browser; it never downloads one. test.sh installs the Debian
/// package when /usr/bin/chromium is missing; INMAIL_CHROMIUM names another binary.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    public static string Executable => Environment.GetEnvironmentVariable("INMAIL_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException($"Chromium is not at {Executable}: run ./test.sh (it installs Debian's chromium) or `apt-get install -y chromium`.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
    }

    /// <summary>A fresh page (its own cookies) at desktop width, or phone width.</summary>
    public async Task<IPage> NewPageAsync(Uri server, bool phone = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = phone ? new ViewportSize { Width = 390, Height = 844 } : new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(30_000); // generous: the demo servers of other test classes seed in parallel
        return await context.NewPageAsync();
    }
}

/// <summary>Screenshots for a reviewer, under artifacts/screenshots at the repository root.</summary>
public static class Screenshots
{
    public static string Directory { get; } = Find();

    public static Task SaveAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Directory, name + ".png"), FullPage = true });
    }

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "InMail.slnx")))
        {
            dir = dir.Parent;
        }
        var path = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "artifacts", "screenshots");
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}

/// <summary>What every browser test does: sign in through the page.</summary>
public static class Pages
{
    public static async Task SignInAsync(this IPage page, string member, string password = BrowserServer.Password)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/sign-in");
        await page.GetByLabel("Member id").FillAsync(member);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        // Committed is enough: what comes next waits for what it needs (a load event can lag on a busy machine).
        await page.WaitForURLAsync("**/inbox", new() { WaitUntil = WaitUntilState.Commit });
    }
}
