using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;

namespace NasPacs.Indexing.Storage;

/// <summary>
/// Brings a database to the newest schema: the embedded scripts <c>Schema/V{n}__{name}.sql</c> newer than
/// <c>PRAGMA user_version</c> run in order, each in its own transaction with the version bump.
/// </summary>
internal static class SchemaMigrator
{
    private const string Prefix = "NasPacs.Indexing.Schema.V";

    /// <summary>The scripts in version order.</summary>
    public static IReadOnlyList<(int Version, string Name)> Scripts { get; } = typeof(SchemaMigrator).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => (Version: int.Parse(n.AsSpan(Prefix.Length, n.IndexOf("__", StringComparison.Ordinal) - Prefix.Length), CultureInfo.InvariantCulture), Name: n))
        .OrderBy(s => s.Version)
        .ToArray();

    /// <summary>The version a fully migrated database has.</summary>
    public static int LatestVersion => Scripts[^1].Version;

    public static int GetVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>Applies the missing scripts up to <paramref name="upTo"/> (default: all); returns the versions applied.</summary>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection, int? upTo = null)
    {
        var current = GetVersion(connection);
        if (current > LatestVersion)
        {
            throw new IndexingException(
                ErrorCategory.Configuration,
                ErrorCodes.IndexNewerSchema,
                $"The index has schema version {current}, newer than this NasPacs knows ({LatestVersion}).",
                "Use the NasPacs that wrote this index, or a newer one; or index into another file.");
        }

        var applied = new List<int>();
        foreach (var (version, name) in Scripts.Where(s => s.Version > current && s.Version <= (upTo ?? LatestVersion)))
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Read(name) + $"\nPRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)};";
            command.ExecuteNonQuery();
            transaction.Commit();
            applied.Add(version);
        }

        return applied;
    }

    private static string Read(string resourceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Schema script {resourceName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
