using NasPacs.Testing.Oracle;

namespace NasPacs.Testing.Orthanc;

/// <summary>
/// A fact that needs a real Orthanc (<see cref="OrthancServer.Executable"/>). Skipped with the reason when it is
/// missing, except under <c>CI=true</c>, where the test runs and fails loudly.
/// </summary>
public sealed class OrthancFactAttribute : FactAttribute
{
    public OrthancFactAttribute()
    {
        if (!ReferenceTools.IsCI && OrthancServer.UnavailableReason is { } reason)
        {
            Skip = $"Orthanc missing outside CI: {reason}";
        }
    }
}
