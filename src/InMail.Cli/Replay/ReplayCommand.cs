using InMail.Domain.Catalog;
using InMail.Domain.Inspection;

namespace InMail.Cli.Replay;

/// <summary><c>inmail replay FILE...</c>: exit 0 when every check held, 1 when one failed, 2 for a malformed script or catalog.</summary>
public static class ReplayCommand
{
    public const int AllHeld = 0;
    public const int CheckFailed = 1;
    public const int Malformed = 2;

    public static async Task<int> RunAsync(IReadOnlyList<FileInfo> files, FileInfo? catalogFile, bool json, bool quiet, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
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

            await output.WriteLineAsync(file.Name).ConfigureAwait(false);
            var target = new EngineTarget(catalog);
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
            held += report.Held;
            failed += report.Failed;
            if (report.Failed > 0 && exit == AllHeld)
            {
                exit = CheckFailed;
            }
            if (json)
            {
                var at = steps.Count == 0 ? DateTimeOffset.UnixEpoch : steps[^1].At;
                await output.WriteLineAsync(StateJson.Snapshot(target.Engine, at)).ConfigureAwait(false);
            }
        }
        if (files.Count > 1)
        {
            await output.WriteLineAsync($"{files.Count} scripts: {held} checks held, {failed} failed").ConfigureAwait(false);
        }
        return exit;
    }
}
