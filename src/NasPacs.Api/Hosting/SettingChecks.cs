namespace NasPacs.Api.Hosting;

/// <summary>Checks that the options validators share; each failure names the setting as an operator writes it.</summary>
internal static class SettingChecks
{
    /// <summary>Adds "<c>{setting} must be {min} to {max} (was {value}).</c>" when <paramref name="value"/> is out of range.</summary>
    public static void Range<T>(List<string> failures, string setting, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            failures.Add($"{setting} must be {min} to {max} (was {value}).");
        }
    }
}
