namespace InMail.Domain.Tests.Replay;

/// <summary>Finds the repository root (the folder holding InMail.slnx) and the scenario scripts in it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Our copy of the rulebook's worked examples (see its README for where they came from).</summary>
    public static string SharedScenarios => Path.Combine(Root, "tests", "scenarios", "shared");

    public static string OwnScenarios => Path.Combine(Root, "tests", "scenarios");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "InMail.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("InMail.slnx not found above " + AppContext.BaseDirectory);
    }
}
