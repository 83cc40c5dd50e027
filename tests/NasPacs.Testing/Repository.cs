namespace NasPacs.Testing;

/// <summary>The repository the tests were built from (its generators, samples and scripts).</summary>
public static class Repository
{
    /// <summary>The folder holding <c>NasPacs.sln</c>, found above the test's output folder.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NasPacs.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (NasPacs.sln) was not found above the test folder.");
    }
}
