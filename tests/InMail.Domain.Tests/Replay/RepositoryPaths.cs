namespace InMail.Domain.Tests.Replay;

/// <summary>Finds the repository root (the folder holding InMail.slnx) and the shared folder beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SharedScenarios => Path.GetFullPath(Path.Combine(Root, "..", "shared", "scenarios"));

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
