using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace NasPacs.Sharing.Storage;

/// <summary>
/// The shares database: opens pooled connections and brings the file to the newest schema once. The schema is the
/// embedded scripts <c>Schema/V{n}__{name}.sql</c>, applied in order above <c>PRAGMA user_version</c>.
/// </summary>
internal sealed class ShareDatabase
{
    private const string Prefix = "NasPacs.Sharing.Schema.V";
    private readonly string _connectionString;
    private readonly Lazy<Task> _migrated;

    public ShareDatabase(string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
        _migrated = new Lazy<Task>(MigrateAsync);
    }

    /// <summary>The scripts in version order.</summary>
    public static IReadOnlyList<(int Version, string Name)> Scripts { get; } = typeof(ShareDatabase).Assembly
        .GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
        .Select(n => (Version: int.Parse(n.AsSpan(Prefix.Length, n.IndexOf("__", StringComparison.Ordinal) - Prefix.Length), CultureInfo.InvariantCulture), Name: n))
        .OrderBy(s => s.Version)
        .ToArray();

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _migrated.Value.ConfigureAwait(false);
        return await OpenRawAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task MigrateAsync()
    {
        await using var connection = await OpenRawAsync(CancellationToken.None).ConfigureAwait(false);
        using var read = connection.CreateCommand();
        read.CommandText = "PRAGMA user_version";
        var current = Convert.ToInt32(await read.ExecuteScalarAsync().ConfigureAwait(false), CultureInfo.InvariantCulture);
        var latest = Scripts[^1].Version;
        if (current > latest)
        {
            throw new InvalidOperationException($"The shares database has schema version {current}, newer than this NasPacs knows ({latest}). Use a newer NasPacs or another Sharing:DatabasePath.");
        }

        foreach (var (version, name) in Scripts.Where(s => s.Version > current))
        {
            // journal_mode cannot change inside a transaction; it is set once, before the script.
            using (var wal = connection.CreateCommand())
            {
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                await wal.ExecuteNonQueryAsync().ConfigureAwait(false);
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync().ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Read(name) + $"\nPRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)};";
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            await transaction.CommitAsync().ConfigureAwait(false);
        }
    }

    private static string Read(string resourceName)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Schema script {resourceName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
