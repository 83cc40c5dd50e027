using NasPacs.Dicom;
using SharpFuzz;

// The fuzz target: every input must give a classified header, never an exception (an exception is a crash to libFuzzer).
// Small limits keep each run fast; the paths that grow the prefix are exercised through ReadAsync as well.
// The readers are made on the first input, not here: instrumented code may run only after Fuzzer.LibFuzzer.Run has set up
// the coverage map (before that, SharpFuzz's trace calls throw NullReferenceException).
DicomHeaderReader? index = null;
DicomHeaderReader? deep = null;

if (args is ["--replay", var folder])
{
    // Without libFuzzer: run every file of a corpus folder once (for CI-less checks and to reproduce a crash file).
    var count = 0;
    foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
    {
        Target(File.ReadAllBytes(file));
        count++;
    }

    Console.WriteLine($"Replayed {count} inputs without a crash.");
    return 0;
}

Fuzzer.LibFuzzer.Run(Target);
return 0;

void Target(ReadOnlySpan<byte> input)
{
    index ??= new DicomHeaderReader();
    deep ??= new DicomHeaderReader(new DicomHeaderReaderOptions
    {
        Tags = [.. DicomTags.IndexTags, DicomTags.PixelData],
        InitialReadSize = 256,
        MaxHeaderSize = 1024 * 1024,
    });

    var header = index.Read(input);
    if (header.Status != DicomHeaderStatus.Ok && header.Error is null)
    {
        throw new InvalidOperationException($"{header.Status} without an error.");
    }

    var bytes = input.ToArray();
    var viaPrefix = deep.ReadAsync((destination, _) =>
    {
        var n = Math.Min(destination.Length, bytes.Length);
        bytes.AsSpan(0, n).CopyTo(destination.Span);
        return ValueTask.FromResult(n);
    }).AsTask().GetAwaiter().GetResult();
    _ = viaPrefix.Status;
}
