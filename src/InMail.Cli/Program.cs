using System.CommandLine;
using InMail.Cli.Replay;

var files = new Argument<FileInfo[]>("files")
{
    Description = "Scenario scripts (JSON Lines, SPEC §8) to replay, each on a fresh system.",
    Arity = ArgumentArity.OneOrMore,
};
var json = new Option<bool>("--json") { Description = "After each script, print its final state (every member's credits, lots and ledger) as JSON." };
var catalog = new Option<FileInfo?>("--catalog") { Description = "A plan catalog JSON file to use instead of the default (SPEC §2)." };
var quiet = new Option<bool>("--quiet", "-q") { Description = "Print only failed checks and the summary." };

var replay = new Command("replay", "Run scenario scripts and check every expectation they state. Exit 0: all held; 1: a check failed; 2: a script is malformed.")
{
    files, json, catalog, quiet,
};
replay.SetAction((parse, cancellationToken) => ReplayCommand.RunAsync(
    parse.GetValue(files)!, parse.GetValue(catalog), parse.GetValue(json), parse.GetValue(quiet), Console.Out, Console.Error, cancellationToken));

var root = new RootCommand("inmail: the InMail credit engine's command-line tool.") { replay };
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
