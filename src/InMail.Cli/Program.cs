namespace InMail.Cli;

/// <summary>The <c>inmail</c> executable (a class of its own, not top-level statements, so that it is no global <c>Program</c> beside the web service's).</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args) => await CliApp.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
}
