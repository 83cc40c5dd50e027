using Microsoft.Data.Sqlite;
using NasPacs.Indexing.Pipeline;
using NasPacs.Indexing.Storage;
using NasPacs.Testing;

namespace NasPacs.Indexing.Tests;

/// <summary>
/// The allocation-free header path (issue #3): series keys reused from the previous file, and file rows bound through
/// SQLitePCL.raw, which must store exactly what Microsoft.Data.Sqlite stored.
/// </summary>
public sealed class HeaderPathTests : IDisposable
{
    private readonly TempFolder _folder = new("naspacs-header-path");
    private readonly SqliteConnection _connection;

    public HeaderPathTests()
    {
        _connection = new SqliteConnection($"Data Source={_folder.Combine("t.db")};Pooling=False");
        _connection.Open();
        using var create = _connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, s TEXT, UNIQUE (s))";
        create.ExecuteNonQuery();
    }

    [Fact]
    public void Create_SameSeriesUidAsReuse_ReturnsTheReusedString()
    {
        var previous = SeriesKeys.Create("1.2.3", null, null, null, "p");

        var key = SeriesKeys.Create(" 1.2.3 ".AsSpan(), default, default, default, "p", previous);

        Assert.Same(previous, key);
    }

    [Theory]
    [InlineData(" 1.2.3 ", "9.9", "2", "CT", "1.2.4")]
    [InlineData(null, " 9.9 ", " 2 ", " CT ", "study:9.9|2|C")]
    [InlineData("", null, "2", "CT", "folder:p/t")]
    [InlineData(" ", "", null, null, "study:x")]
    public void Create_SpansAndAnotherKeyToReuse_EqualsTheStringOverload(string? series, string? study, string? number, string? modality, string other)
    {
        var expected = SeriesKeys.Create(series, study, number, modality, "p/s");

        var key = SeriesKeys.Create(series.AsSpan(), study.AsSpan(), number.AsSpan(), modality.AsSpan(), "p/s", other);

        Assert.Equal(expected, key);
        Assert.NotSame(other, key);
        Assert.Same(key, SeriesKeys.Create(series.AsSpan(), study.AsSpan(), number.AsSpan(), modality.AsSpan(), "p/s", key));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Müller^Jörg")]
    [InlineData("山田^太郎")]
    [InlineData("Gruß 😀 \uD800 lone surrogate")]
    public void Bind_Text_StoresTheBytesSqliteCommandStores(string text)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "CREATE TABLE u (n INTEGER, s TEXT)";
        command.ExecuteNonQuery();
        using var statement = new PreparedStatement(_connection, "INSERT INTO u (n, s) VALUES (1, $s)");
        statement.Bind(statement.Parameter("$s"), text);
        Assert.Equal(1, statement.Execute());
        command.CommandText = "INSERT INTO u (n, s) VALUES (2, $s)";
        command.Parameters.AddWithValue("$s", text);
        command.ExecuteNonQuery();

        var rows = Strings("SELECT typeof(s) || ' ' || hex(s) FROM u ORDER BY n");

        Assert.Equal(rows[1], rows[0]);
        Assert.StartsWith("text ", rows[0], StringComparison.Ordinal); // '' is text, not NULL
    }

    [Fact]
    public void Bind_NullTextAndNullNumber_StoresNull()
    {
        using var statement = new PreparedStatement(_connection, "INSERT INTO t (n, s) VALUES ($n, $s)");
        statement.Bind(statement.Parameter("$n"), (long?)null);
        statement.Bind(statement.Parameter("$s"), (string?)null);

        statement.Execute();

        Assert.Equal(["null", "null"], Strings("SELECT typeof(n) FROM t UNION ALL SELECT typeof(s) FROM t"));
    }

    [Fact]
    public void Execute_ConflictIgnored_ReturnsNoChangeAndStaysReusable()
    {
        using var statement = new PreparedStatement(_connection, "INSERT INTO t (n, s) VALUES ($n, $s) ON CONFLICT (s) DO NOTHING");
        var (n, s) = (statement.Parameter("$n"), statement.Parameter("$s"));
        statement.Bind(n, 1L);
        statement.Bind(s, "a");
        Assert.Equal(1, statement.Execute());

        statement.Bind(n, 2L);
        Assert.Equal(0, statement.Execute());
        statement.Bind(s, "b");
        Assert.Equal(1, statement.Execute());

        Assert.Equal(["1 a", "2 b"], Strings("SELECT n || ' ' || s FROM t ORDER BY n"));
    }

    [Fact]
    public void Execute_ConstraintViolated_ThrowsSqliteExceptionAndLetsTheTransactionCommit()
    {
        using var transaction = _connection.BeginTransaction();
        using var statement = new PreparedStatement(_connection, "INSERT INTO t (n, s) VALUES ($n, $s)");
        statement.Bind(statement.Parameter("$n"), 1L);
        statement.Bind(statement.Parameter("$s"), "same");
        statement.Execute();

        var error = Assert.Throws<SqliteException>(() => statement.Execute());
        transaction.Commit();

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal(["1"], Strings("SELECT count(*) FROM t"));
    }

    [Fact]
    public void Parameter_UnknownName_Throws()
    {
        using var statement = new PreparedStatement(_connection, "INSERT INTO t (n) VALUES ($n)");

        Assert.Throws<ArgumentException>(() => statement.Parameter("$missing"));
    }

    private List<string> Strings(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    public void Dispose()
    {
        _connection.Dispose();
        _folder.Dispose();
    }
}
