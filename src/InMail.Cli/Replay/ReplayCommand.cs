using InMail.Domain.Catalog;
using InMail.Domain.Inspection;

namespace InMail.Cli.Replay;

/// <summary>Where <c>inmail replay --server</c> sends a script: the server's address and the test-mode operator's password.</summary>
public sealed record ReplayServer(Uri Url, string OperatorPassword);

/// <summary>
/// <c>inmail replay FILE...</c>: exit 0 when every check held, 1 when one failed, 2 for a malformed
/// script or catalog, or a server that cannot run the script.
/// </summary>
public static class ReplayCommand
{
    public const int AllHeld = 0;
    public const int CheckFailed = 1;
    public const int Malformed = 2;

    /// <summary>Replays each script on a fresh in-memory engine.</summary>
    public static Task<int> RunAsync(IReadOnlyList<FileInfo> files, FileInfo? catalogFile, bool json, bool quiet, TextWriter output, TextWriter error, CancellationToken cancellationToken) =>
        RunAsync(files, catalogFile, json, quiet, server: null, output, error, cancellationToken);

    /// <summary>
    /// Replays each script on a fresh in-memory engine, or with <paramref name="server"/> the one
    /// script through that server's HTTP API. A script runs on an empty system, and a server keeps
    /// what it was told, so a server takes one script: start a fresh one (test mode, a new database)
    /// for each. The server refuses to be used again (exit 2), since it then holds members already.
    /// </summary>
    public static async Task<int> RunAsync(IReadOnlyList<FileInfo> files, FileInfo? catalogFile, bool json, bool quiet, ReplayServer? server,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (server is not null)
        {
            if (catalogFile is not null)
            {
                await error.WriteLineAsync("--catalog cannot be used with --server: the server runs on its own catalog").ConfigureAwait(false);
                return Malformed;
            }
            if (files.Count != 1)
            {
                await error.WriteLineAsync($"--server replays one script (got {files.Count}): each script needs a fresh server, so start one per script").ConfigureAwait(false);
                return Malformed;
            }
        }
        PlanCatalog catalog;
        try
        {
            catalog = catalogFile is null ? PlanCatalog.Default : PlanCatalog.FromJson(await File.ReadAllTextAsync(catalogFile.FullName, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception e) when (e is CatalogException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"{catalogFile!.Name}: {e.Message}").ConfigureAwait(false);
            return Malformed;
        }

        var exit = AllHeld;
        int held = 0, failed = 0;
        foreach (var file in files)
        {
            IReadOnlyList<Step> steps;
            try
            {
                steps = ScenarioScript.Parse(await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false));
            }
            catch (ScriptException e)
            {
                await error.WriteLineAsync($"{file.Name}:{e.Line}: malformed: {e.Problem}").ConfigureAwait(false);
                exit = Malformed;
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"{file.Name}: cannot read: {e.Message}").ConfigureAwait(false);
                exit = Malformed;
                continue;
            }

            var at = steps.Count == 0 ? DateTimeOffset.UnixEpoch : steps[^1].At;
            ReplayReport report;
            if (server is null)
            {
                await output.WriteLineAsync(file.Name).ConfigureAwait(false);
                var target = new EngineTarget(catalog);
                report = await RunScriptAsync(target, steps, quiet, output, cancellationToken).ConfigureAwait(false);
                if (json)
                {
                    await output.WriteLineAsync(StateJson.Snapshot(target.Engine, at)).ConfigureAwait(false);
                }
            }
            else
            {
                var replayed = await RunOnServerAsync(server, file, steps, json, quiet, output, error, cancellationToken).ConfigureAwait(false);
                if (replayed is null)
                {
                    exit = Malformed;
                    continue;
                }
                report = replayed;
            }
            held += report.Held;
            failed += report.Failed;
            if (report.Failed > 0 && exit == AllHeld)
            {
                exit = CheckFailed;
            }
        }
        if (files.Count > 1)
        {
            await output.WriteLineAsync($"{files.Count} scripts: {held} checks held, {failed} failed").ConfigureAwait(false);
        }
        return exit;
    }

    /// <summary>The report, or null when the server could not run the script (said on <paramref name="error"/>).</summary>
    private static async Task<ReplayReport?> RunOnServerAsync(ReplayServer server, FileInfo file, IReadOnlyList<Step> steps, bool json, bool quiet,
        TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = server.Url, Timeout = TimeSpan.FromSeconds(100) };
        try
        {
            var first = steps.Count == 0 ? DateTimeOffset.UnixEpoch : steps[0].At;
            var target = await HttpTarget.ConnectAsync(http, server.OperatorPassword, first, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"{file.Name} (on {server.Url})").ConfigureAwait(false);
            var report = await RunScriptAsync(target, steps, quiet, output, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                await output.WriteLineAsync(await target.StateAsync(includeActivity: false, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }
            return report;
        }
        catch (ServerException e)
        {
            await error.WriteLineAsync($"{file.Name}: the server cannot run it: {e.Message}").ConfigureAwait(false);
            return null;
        }
    }

    private static async Task<ReplayReport> RunScriptAsync(IScenarioTarget target, IReadOnlyList<Step> steps, bool quiet, TextWriter output, CancellationToken cancellationToken)
    {
        var report = await new ReplayRunner(target).RunAsync(
            steps,
            check =>
            {
                if (!quiet || !check.Held)
                {
                    output.WriteLine($"  line {check.Line,-4} {(check.Held ? "ok  " : "FAIL")}  {check.Text}");
                }
            },
            cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync($"  {report.Held} held, {report.Failed} failed").ConfigureAwait(false);
        return report;
    }
}
