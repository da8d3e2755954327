using System.CommandLine;
using InMail.Cli.Advice;
using InMail.Cli.Generate;
using InMail.Cli.Replay;

namespace InMail.Cli;

/// <summary>The <c>inmail</c> command line, built here so tests can run it exactly as a shell would.</summary>
public static class CliApp
{
    public static RootCommand Build()
    {
        var files = new Argument<FileInfo[]>("files")
        {
            Description = "Scenario scripts (JSON Lines, SPEC §8) to replay, each on a fresh system.",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "After each script, print its final state (every member's credits, lots and ledger) as JSON." };
        var catalog = new Option<FileInfo?>("--catalog") { Description = "A plan catalog JSON file to use instead of the default (SPEC §2)." };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only failed checks and the summary." };
        var server = new Option<string?>("--server")
        {
            Description = "Replay one script through the HTTP API of a fresh InMail server in test mode at this URL "
                + "(started with --test-mode --InMail:ClockStart=2000-01-01T00:00:00Z) instead of in memory.",
        };
        var operatorPassword = new Option<string?>("--operator-password")
        {
            Description = $"The test-mode operator's password for --server (default: ${HttpTarget.OperatorPasswordVariable}, else '{HttpTarget.DefaultOperatorPassword}').",
        };

        var replay = new Command("replay", "Run scenario scripts and check every expectation they state. Exit 0: all held; 1: a check failed; "
            + "2: a script is malformed, or the server cannot run it.")
        {
            files, json, catalog, quiet, server, operatorPassword,
        };
        replay.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            ReplayServer? target = null;
            if (parse.GetValue(server) is { } url)
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    await error.WriteLineAsync($"--server needs an http:// or https:// URL, not '{url}'").ConfigureAwait(false);
                    return ReplayCommand.Malformed;
                }
                var password = parse.GetValue(operatorPassword)
                    ?? (Environment.GetEnvironmentVariable(HttpTarget.OperatorPasswordVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : HttpTarget.DefaultOperatorPassword);
                target = new ReplayServer(uri, password);
            }
            else if (parse.GetValue(operatorPassword) is not null)
            {
                await error.WriteLineAsync("--operator-password goes with --server").ConfigureAwait(false);
                return ReplayCommand.Malformed;
            }
            return await ReplayCommand.RunAsync(parse.GetValue(files)!, parse.GetValue(catalog), parse.GetValue(json), parse.GetValue(quiet), target,
                output, error, cancellationToken).ConfigureAwait(false);
        });

        return new RootCommand("inmail: the InMail credit engine's command-line tool.") { replay, GenerateVerb.Build(), AdviseVerb.Build() };
    }
}
