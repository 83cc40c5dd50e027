using NasPacs.Smb.Auth;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Tests;

/// <summary>
/// Malformed server input: every parser, fed well-formed seeds and thousands of deterministic mutations of them
/// (flipped bytes, truncations, lengths and offsets set to extremes), fails only with <see cref="SmbProtocolException"/>.
/// </summary>
public sealed class ResponseParserFuzzTests
{
    private const int Iterations = 4000;

    public static TheoryData<string> Parsers => new(ResponseSamples.Parsers.Select(p => p.Name));

    private static (Func<byte[]> Seed, Action<byte[]> Parse) Parser(string name)
    {
        var parser = ResponseSamples.Parsers.Single(p => p.Name == name);
        return (parser.Seed, parser.Parse);
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_WellFormedSeed_Succeeds(string parser)
    {
        var (seed, parse) = Parser(parser);

        var exception = Record.Exception(() => parse(seed()));

        Assert.Null(exception);
    }

    [Theory]
    [MemberData(nameof(Parsers))]
    public void Parse_MutatedInput_ThrowsOnlyProtocolException(string parser)
    {
        var (seed, parse) = Parser(parser);
        var original = seed();
        var random = new Random(parser.Length * 7919);
        var rejected = 0;

        for (var i = 0; i < Iterations; i++)
        {
            var input = Mutate(original, random);
            try
            {
                parse(input);
            }
            catch (SmbProtocolException)
            {
                rejected++;
            }
            catch (Exception ex)
            {
                Assert.Fail($"{parser} mutation {i} threw {ex.GetType().Name}: {ex.Message}\n{Convert.ToHexString(input)}");
            }
        }

        Assert.True(rejected > 0, "no mutation was rejected: the mutator is not reaching the parser's checks");
    }

    [Fact]
    public void QueryDirectoryParse_EntryPointingBackwards_ThrowsProtocolException()
    {
        var message = ResponseSamples.QueryDirectory("a.dcm", "b.dcm");
        message[Smb2Header.Size + 8] = 8; // NextEntryOffset of the first entry: inside itself.

        Assert.Throws<SmbProtocolException>(() => QueryDirectory.ParseResponse(message, 1 << 16));
    }

    [Theory]
    [InlineData(0x0300, true)]
    [InlineData(0x0202, false)]
    public void ValidateNegotiateCheck_DialectAsNegotiatedOrNot_AcceptsOnlyTheSame(ushort dialect, bool accepted)
    {
        var response = ResponseSamples.ValidateNegotiate(0x44, ResponseSamples.SampleGuid, 1, dialect);

        var error = Record.Exception(() => ValidateNegotiate.CheckResponse(response, ResponseSamples.SampleNegotiated));

        Assert.Equal(accepted, error is null);
        Assert.True(error is null or SmbProtocolException);
    }

    [Fact]
    public void ReadParse_MoreDataThanRequested_ThrowsProtocolException()
    {
        Assert.Throws<SmbProtocolException>(() => Read.ParseResponse(ResponseSamples.Read(300), 100));
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var input = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                return input[..random.Next(input.Length)];
            case 1:
                for (var n = random.Next(1, 8); n > 0; n--)
                {
                    input[random.Next(input.Length)] = (byte)random.Next(256);
                }

                return input;
            case 2:
                var at = random.Next(input.Length - 1);
                input[at] = 0xFF;
                input[at + 1] = 0xFF;
                return input;
            case 3:
                var at4 = random.Next(Math.Max(1, input.Length - 3));
                input.AsSpan(at4, Math.Min(4, input.Length - at4)).Fill((byte)(random.Next(2) == 0 ? 0xFF : 0x00));
                return input;
            default:
                var extra = new byte[random.Next(1, 64)];
                random.NextBytes(extra);
                return [.. input, .. extra];
        }
    }
}
