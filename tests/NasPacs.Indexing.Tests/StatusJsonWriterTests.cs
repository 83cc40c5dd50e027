using System.Text;
using System.Text.Json;
using NasPacs.Abstractions.Errors;
using NasPacs.Abstractions.Indexing;
using NasPacs.Indexing.Status;

namespace NasPacs.Indexing.Tests;

public class StatusJsonWriterTests
{
    public static TheoryData<string> Statuses => ["every field set", "nothing optional"];

    /// <summary>The writer must stay the serializer's twin: a property added to <see cref="IndexStatus"/> and not written fails here.</summary>
    [Theory]
    [MemberData(nameof(Statuses))]
    public void ToUtf8Bytes_AnyStatus_SameBytesAsTheSourceGeneratedSerializer(string which)
    {
        var status = which == "every field set" ? EveryFieldSet() : NothingOptional();

        var written = StatusJsonWriter.ToUtf8Bytes(status);
        var serialized = JsonSerializer.SerializeToUtf8Bytes(status, StatusJsonContext.Default.IndexStatus);

        Assert.Equal(Encoding.UTF8.GetString(serialized), Encoding.UTF8.GetString(written));
    }

    [Fact]
    public void Write_ThenRead_GivesTheSameStatus()
    {
        var status = EveryFieldSet();
        var path = Path.Combine(Path.GetTempPath(), $"naspacs-status-{Guid.NewGuid():N}.json");
        try
        {
            StatusFile.Write(path, status);
            var read = StatusFile.Read(path);

            Assert.NotNull(read);
            Assert.Equal(status.ErrorsByCategory, read.ErrorsByCategory);
            Assert.Equal(status with { ErrorsByCategory = read.ErrorsByCategory }, read);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static IndexStatus EveryFieldSet() => new()
    {
        EnumeratedFiles = 1,
        FilesProcessed = 2,
        SeriesCount = 3,
        Errors = 4,
        Running = true,
        LastUpdated = new DateTimeOffset(2026, 12, 7, 19, 30, 1, TimeSpan.FromHours(1)).AddTicks(1234567),
        EstimatedCompletion = new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.Zero).AddTicks(7),
        Phase = IndexState.Cancelling,
        RunId = 5,
        Root = "/mnt/nas/Ärzte \"Süd\"/\u00e9t\u00e9",
        StartedAt = new DateTimeOffset(2026, 12, 7, 19, 0, 0, TimeSpan.FromHours(-5)),
        FoldersSeen = 6,
        FilesSeen = 7,
        FilesPerSecond = 12345.6,
        BytesRead = 8_000_000_000,
        NewFiles = 9,
        ModifiedFiles = 10,
        UnchangedFiles = 11,
        RemovedFiles = 12,
        NotDicomFiles = 13,
        DicomDirFiles = 14,
        ErrorsByCategory = new Dictionary<ErrorCategory, long> { [ErrorCategory.FileSystem] = 3, [ErrorCategory.Dicom] = 1 },
        FailureMessage = "The run could not be recorded: disk \"full\" <ü>",
    };

    private static IndexStatus NothingOptional() => new()
    {
        LastUpdated = DateTimeOffset.UnixEpoch,
        Phase = IndexState.Idle,
    };
}
