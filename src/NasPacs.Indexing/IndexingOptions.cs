namespace NasPacs.Indexing;

/// <summary>Where the index lives and how a run reads and writes. Validated at start-up.</summary>
public sealed class IndexingOptions
{
    /// <summary>The SQLite index file. Default <c>naspacs.db</c> in the current folder. Created with its folder when missing.</summary>
    public string DatabasePath { get; set; } = "naspacs.db";

    /// <summary>
    /// The status file, rewritten atomically during a run. Default: the database path with the extension
    /// <c>.status.json</c> (<c>naspacs.db</c> → <c>naspacs.status.json</c>), so two indexes in one folder never share one.
    /// </summary>
    public string? StatusFilePath { get; set; }

    /// <summary>Header readers working at once (the design's <c>max_workers</c>). Default 8; 1 to 256. More helps on high-latency shares.</summary>
    public int MaxWorkers { get; set; } = 8;

    /// <summary>Folders listed at once. Default 4; 1 to 64.</summary>
    public int EnumerationParallelism { get; set; } = 4;

    /// <summary>
    /// Files between status updates (the design's <c>chunk_size</c>). Default 50; 1 to 1,000,000. The status file is also
    /// written no more often than <see cref="MinStatusInterval"/>, so a run at 50,000 files/s does not spend itself on renames.
    /// </summary>
    public int ChunkSize { get; set; } = 50;

    /// <summary>The shortest time between two status files. Default 250 ms; 0 to 60 s (0 writes every chunk).</summary>
    public TimeSpan MinStatusInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Rows written per SQLite transaction at most. Default 2,000; 1 to 100,000.</summary>
    public int WriteBatchSize { get; set; } = 2000;

    /// <summary>
    /// How long a write transaction waits for more rows when fewer than <see cref="WriteBatchSize"/> are ready. Default
    /// 50 ms; 0 to 5 s (0 commits whatever is ready at once). Longer means fewer commits; a kill loses at most this much reading.
    /// </summary>
    public TimeSpan WriteGatherTime { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Throttle: the most files read per second, 0 for no limit. Default 0; 0 to 1,000,000. Unchanged files are not read and do not count.</summary>
    public double MaxFilesPerSecond { get; set; }

    /// <summary>Throttle: the most header megabytes (10^6 bytes) read per second, 0 for no limit. Default 0; 0 to 10,000.</summary>
    public double MaxMegabytesPerSecond { get; set; }

    /// <summary>Attempts to read a file when the failure is transient (Polly retry with exponential back-off). Default 3; 1 to 10.</summary>
    public int MaxReadAttempts { get; set; } = 3;

    /// <summary>Delay before the first retry of a read, doubled each time with jitter. Default 200 ms; 0 to 30 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Whether a run that finds no DICOM file under a root whose index holds files may remove them all. Default false: an
    /// empty root is far more often a share that is not mounted (its mount point left empty) than an archive that was
    /// emptied, and removing would lose the index of the whole archive. Such a run fails instead and removes nothing.
    /// </summary>
    public bool AllowEmptyRoot { get; set; }

    /// <summary>The status file path in effect.</summary>
    internal string ResolvedStatusFilePath => StatusFilePath ?? DefaultStatusFilePath(DatabasePath);

    /// <summary>The status file of an index when none is named: <c>&lt;database without extension&gt;.status.json</c>.</summary>
    /// <param name="databasePath">The index file.</param>
    public static string DefaultStatusFilePath(string databasePath) => Path.ChangeExtension(Path.GetFullPath(databasePath), ".status.json");
}
