namespace NasPacs.Testing.Oracle;

/// <summary>
/// A fact that needs pydicom and dcmdump. Skipped with the reason when they are missing, except under <c>CI=true</c>,
/// where it runs and fails loudly.
/// </summary>
public sealed class ReferenceToolsFactAttribute : FactAttribute
{
    public ReferenceToolsFactAttribute()
    {
        if (ReferenceTools.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A theory that needs pydicom and dcmdump; see <see cref="ReferenceToolsFactAttribute"/>.</summary>
public sealed class ReferenceToolsTheoryAttribute : TheoryAttribute
{
    public ReferenceToolsTheoryAttribute()
    {
        if (ReferenceTools.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}

public static class ReferenceTools
{
    /// <summary>Whether this run is CI, where no integration test may skip.</summary>
    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The reason to skip, or <see langword="null"/> (always under CI: missing tools then fail the test).</summary>
    public static string? SkipReason
    {
        get
        {
            if (IsCI)
            {
                return null;
            }

            var problem = PydicomOracle.UnavailableReason ?? Dcmdump.UnavailableReason;
            return problem is null ? null : $"Reference tool missing outside CI: {problem}";
        }
    }

    /// <summary>The pydicom corpus files; under CI a missing corpus fails the test instead of returning none.</summary>
    public static IReadOnlyList<string> CorpusFilesOrFailUnderCI()
    {
        var files = PydicomOracle.CorpusFiles();
        Assert.False(IsCI && files.Count == 0, $"The pydicom corpus is missing under CI ({PydicomOracle.CorpusRoot}).");
        return files;
    }

    /// <summary>Fails with the reason when a tool is missing (the CI case).</summary>
    public static void Require()
    {
        var problem = PydicomOracle.UnavailableReason ?? Dcmdump.UnavailableReason;
        Assert.True(problem is null, problem);
    }
}
