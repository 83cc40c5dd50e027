using Microsoft.AspNetCore.Http.HttpResults;
using System.Globalization;
using NasPacs.Api.Roots;

namespace NasPacs.Api.Hosting;

/// <summary>
/// Parses query parameters by hand so that a bad value becomes a 400 ValidationProblem naming the parameter, instead of
/// the framework's bare 400 for a failed binding.
/// </summary>
internal sealed class RequestErrors
{
    /// <summary>The largest page size a list route accepts.</summary>
    public const int MaxPageSize = 200;

    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message) => _errors[field] = [message];

    public int Int(string? value, string field, int fallback, int min, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < min || parsed > max)
        {
            Add(field, string.Create(CultureInfo.InvariantCulture, $"{field} must be a whole number from {min:N0} to {max:N0}."));
            return fallback;
        }

        return parsed;
    }

    public long? Long(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
        {
            Add(field, $"{field} must be a positive whole number.");
            return null;
        }

        return parsed;
    }

    public DateOnly? Date(string? value, string field)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateOnly.TryParseExact(value.Trim(), ["yyyy-MM-dd", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return date;
        }

        Add(field, $"{field} must be a date as yyyy-MM-dd (for example 2024-01-31).");
        return null;
    }

    /// <summary>The 1-based <c>page</c> and the <c>pageSize</c> as an offset and a limit.</summary>
    public (int Offset, int Limit) Paging(string? page, string? pageSize, int defaultSize = 50)
    {
        var size = Int(pageSize, "pageSize", defaultSize, 1, MaxPageSize);
        var number = Int(page, "page", 1, 1, 1_000_000);
        return ((int)Math.Min(int.MaxValue, ((long)number - 1) * size), size);
    }

    /// <summary>The named root, or the default root when none is named; records an error for an unknown name.</summary>
    public NasRoot Root(RootCatalog catalog, string? name)
    {
        var root = catalog.Find(name);
        if (root is null)
        {
            Add("root", $"Unknown root '{name}'. Configured roots: {string.Join(", ", catalog.All.Select(r => r.Name))}.");
            return catalog.Default;
        }

        return root;
    }

    public ValidationProblem Problem() => TypedResults.ValidationProblem(_errors, title: "One or more parameters are not valid.");
}
