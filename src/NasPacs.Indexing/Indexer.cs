using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Files;
using NasPacs.Abstractions.Indexing;
using NasPacs.Dicom;
using NasPacs.Indexing.Pipeline;
using NasPacs.Indexing.Storage;
using Polly;
using Polly.Retry;

namespace NasPacs.Indexing;

/// <summary>Starts runs into the index named by <see cref="IndexingOptions.DatabasePath"/>, one at a time.</summary>
internal sealed class Indexer(
    IOptions<IndexingOptions> options,
    ICandidateFilter filter,
    DicomHeaderReader reader,
    TimeProvider time,
    ILogger<Indexer> logger) : IIndexer
{
    public Task<IIndexRun> StartAsync(IFileSource source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var settings = options.Value;
        var database = new IndexDatabase(settings.DatabasePath);
        var lockFile = AcquireLock(database.Path);
        SqliteConnection? writer = null;
        SqliteConnection? lookup = null;
        SqliteConnection? checkpoints = null;
        RunResources? resources = null;
        try
        {
            writer = database.Open();
            lookup = database.Open();
            checkpoints = database.Open();

            // The lookup reads each folder's rows once and the sweep scans once: a 16 MB page cache only made SQLite
            // malloc (and the kernel fault in) a fresh page for every page read until it was full (perf, re-index).
            IndexDatabase.Execute(lookup, "PRAGMA cache_size = -2048");

            // The run's checkpointer copies the WAL into the database on its own thread after each commit. The writer's
            // own copy (SQLite's, at 1,000 pages) made the writer wait ~20 ms each time; at 10,000 pages (40 MB) it is
            // only a backstop for a checkpointer that falls behind. Commits are durable once checkpointed.
            IndexDatabase.Execute(writer, "PRAGMA wal_autocheckpoint = 10000");
            CheckRoot(writer, source.DisplayName);
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();

            // The lock proves no other run is alive, so a run still marked running was killed.
            IndexDatabase.Execute(writer, "UPDATE runs SET outcome = 'interrupted' WHERE outcome = 'running'");
            var runId = InsertRun(writer, source.DisplayName, now);
            var seriesCount = IndexDatabase.Scalar(writer, "SELECT COUNT(*) FROM series");
            resources = new RunResources(lockFile, writer, lookup, new KnownFiles(lookup), new Checkpointer(checkpoints));
            var throttle = new Throttle(settings.MaxFilesPerSecond, settings.MaxMegabytesPerSecond, time);
            // Built on the first transient failure, if any: building a Polly pipeline was ~2 ms of a run's start (AOT, perf).
            var retry = new Lazy<ResiliencePipeline>(() => CreateRetry(settings));
            var worker = new HeaderWorker(source, reader, retry, throttle, time);
            var run = new IndexRun(source, settings, filter, worker, throttle, time, logger, resources, runId, seriesCount, cancellationToken);
            run.Start();
            return Task.FromResult<IIndexRun>(run);
        }
        catch when (resources is not null)
        {
            // Everything the run would have held, its checkpointer's thread included.
            resources.Dispose();
            throw;
        }
        catch
        {
            checkpoints?.Dispose();
            lookup?.Dispose();
            writer?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Adds the run's row. Its command is gone before the run starts: a <see cref="SqliteConnection"/> keeps its commands in a
    /// list that is not thread-safe, and a command disposed here at the end of <see cref="StartAsync"/> (a <c>using var</c>)
    /// raced with the run creating its own on the same connection; about 1 run in 500 then failed to close the connection
    /// at its very end and never completed.
    /// </summary>
    private static long InsertRun(SqliteConnection writer, string root, long now)
    {
        using var insert = writer.CreateCommand();
        insert.CommandText = "INSERT INTO runs (root, started_at, outcome) VALUES ($root, $now, 'running') RETURNING id";
        insert.Parameters.AddWithValue("$root", root);
        insert.Parameters.AddWithValue("$now", now);
        return (long)insert.ExecuteScalar()!;
    }

    private ResiliencePipeline CreateRetry(IndexingOptions settings)
    {
        if (settings.MaxReadAttempts <= 1)
        {
            return ResiliencePipeline.Empty;
        }

        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(HeaderWorker.IsTransient),
                MaxRetryAttempts = settings.MaxReadAttempts - 1,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .Build();
    }

    private static IndexLock AcquireLock(string databasePath)
    {
        var path = databasePath + ".lock";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            return IndexLock.TryAcquire(path) ?? throw Busy(databasePath);
        }
        catch (IOException ex)
        {
            // Not another run (that is TryAcquire's null): the lock file cannot be created or locked at all.
            throw new IndexingException(
                ErrorCategory.Configuration,
                ErrorCodes.IoError,
                $"The index '{databasePath}' cannot be used: its lock file could not be created ({ex.Message.TrimEnd('.')}).",
                "Choose an index file on a local, writable disk.",
                ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new IndexingException(
                ErrorCategory.Configuration,
                ErrorCodes.AccessDenied,
                $"The index folder of '{databasePath}' is not writable.",
                "Choose an index file in a folder this account may write.",
                ex);
        }
    }

    private static IndexingException Busy(string databasePath) => new(
        ErrorCategory.Configuration,
        ErrorCodes.IndexBusy,
        $"Another run is using the index '{databasePath}'.",
        "Wait for it to finish or cancel it, or use another index file.");

    private static void CheckRoot(SqliteConnection connection, string root)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT value FROM meta WHERE key = 'root'";
        if (select.ExecuteScalar() is string existing)
        {
            if (!string.Equals(existing, root, StringComparison.Ordinal))
            {
                throw new IndexingException(
                    ErrorCategory.Configuration,
                    ErrorCodes.IndexOtherRoot,
                    $"This index belongs to '{existing}', not to '{root}'.",
                    "Use one index file per root (for example --db with another file name).");
            }

            return;
        }

        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO meta (key, value) VALUES ('root', $root)";
        insert.Parameters.AddWithValue("$root", root);
        insert.ExecuteNonQuery();
    }
}
