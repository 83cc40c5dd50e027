using NasPacs.Smb.Protocol;
using NasPacs.Smb.Tests;
using SharpFuzz;

// The fuzz target: the first byte of an input picks a parser, the rest is what a server sent. Every input must be
// parsed or rejected with SmbProtocolException; any other exception is a crash to libFuzzer. The table is the one the
// seeded mutation test (tests/NasPacs.Smb.Tests/ResponseParserFuzzTests.cs) runs in every `dotnet test`:
// ResponseSamples.Parsers, linked from the test project.
var parsers = ResponseSamples.Parsers;

switch (args)
{
    case ["--seeds", var folder]:
        // The initial corpus: one well-formed message per parser, behind its selector byte.
        Directory.CreateDirectory(folder);
        for (var i = 0; i < parsers.Count; i++)
        {
            File.WriteAllBytes(Path.Combine(folder, parsers[i].Name), [(byte)i, .. parsers[i].Seed()]);
        }

        Console.WriteLine($"Wrote {parsers.Count} seeds to {folder}.");
        return 0;
    case ["--replay", var folder]:
        // Without libFuzzer: run every file of a corpus folder once (to check a corpus or reproduce a crash file).
        var count = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            Target(File.ReadAllBytes(file));
            count++;
        }

        Console.WriteLine($"Replayed {count} inputs without a crash.");
        return 0;
    default:
        Fuzzer.LibFuzzer.Run(Target);
        return 0;
}

void Target(ReadOnlySpan<byte> input)
{
    if (input.IsEmpty)
    {
        return;
    }

    try
    {
        parsers[input[0] % parsers.Count].Parse(input[1..].ToArray());
    }
    catch (SmbProtocolException)
    {
        // A rejected message is the expected outcome for most inputs.
    }
}
