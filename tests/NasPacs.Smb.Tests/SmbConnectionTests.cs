using NasPacs.Smb.Connection;
using NasPacs.Smb.Protocol;

namespace NasPacs.Smb.Tests;

/// <summary>The message layer against a scripted server: interim STATUS_PENDING, CANCEL, and servers stingy with credits.</summary>
public sealed class SmbConnectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ListAsync_ServerRefusesListingsWithFileIds_ListsWithoutThemFromThenOn()
    {
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30));
        server.Client.DirectoryBufferSize = 4096;
        var warm = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None);
        await server.RespondAsync((await server.ReceiveAsync(Wait))[0].Header, NtStatus.Success, credits: 16, ScriptedServer.CloseBody());
        await warm.WaitAsync(Wait);

        var listing = ShareOperations.ListAsync(server.Client, "folder", CancellationToken.None);

        // First CREATE + QUERY_DIRECTORY + QUERY_DIRECTORY asks for FileIdFullDirectoryInformation (0x26); the server
        // answers as one that does not know the class.
        var first = await server.ReceiveAsync(Wait);
        Assert.Equal([0x26, 0x26], first.Skip(1).Select(m => m.Message[Smb2Header.Size + 2]));
        await server.RespondAsync(first[0].Header, NtStatus.Success, 1, ResponseSamples.Create()[Smb2Header.Size..]);
        await server.RespondAsync(first[1].Header, NtStatus.InvalidInfoClass, 1, ScriptedServer.ErrorBody());
        await server.RespondAsync(first[2].Header, NtStatus.InvalidInfoClass, 1, ScriptedServer.ErrorBody());

        // The client closes that handle and lists again with FileDirectoryInformation (0x01).
        var again = new List<(Smb2Header Header, byte[] Message)>();
        while (again.Count < 3)
        {
            foreach (var message in await server.ReceiveAsync(Wait))
            {
                if (message.Header.Command == Smb2Command.Close)
                {
                    await server.RespondAsync(message.Header, NtStatus.Success, 1, ScriptedServer.CloseBody());
                }
                else
                {
                    again.Add(message);
                }
            }
        }

        Assert.Equal([0x01, 0x01], again.Skip(1).Select(m => m.Message[Smb2Header.Size + 2]));
        await server.RespondAsync(again[0].Header, NtStatus.Success, 1, ResponseSamples.Create()[Smb2Header.Size..]);
        await server.RespondAsync(again[1].Header, NtStatus.Success, 1, ResponseSamples.QueryDirectory(withIds: false, ".", "a.dcm", "b.dcm")[Smb2Header.Size..]);
        await server.RespondAsync(again[2].Header, NtStatus.NoMoreFiles, 1, ScriptedServer.ErrorBody());

        var entries = await listing.WaitAsync(Wait);

        Assert.Equal([".", "a.dcm", "b.dcm"], entries.Select(e => e.Name));
        Assert.All(entries, e => Assert.False(e.HasFileId));
        Assert.False(server.Client.ListsFileIds);
    }

    [Fact]
    public async Task SendAsync_InterimPendingThenFinal_ReturnsFinalResponse()
    {
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30));
        var sending = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None);
        var request = (await server.ReceiveAsync(Wait))[0].Header;

        await server.RespondAsync(request, NtStatus.Pending, credits: 1, ScriptedServer.ErrorBody(), asyncId: 0x77);
        Assert.True(await server.StaysQuietAsync(TimeSpan.FromMilliseconds(200)));
        Assert.False(sending.IsCompleted);
        await server.RespondAsync(request, NtStatus.Success, credits: 1, ScriptedServer.CloseBody(), asyncId: 0x77);

        var response = (await sending.WaitAsync(Wait))[0];
        Assert.Equal(NtStatus.Success, response.Status);
        Assert.Equal(Smb2Command.Close, response.Header.Command);
        Assert.True(server.Client.IsHealthy);
    }

    [Fact]
    public async Task SendAsync_CancelledAfterInterim_SendsCancelNamingAsyncId()
    {
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30));
        using var cancel = new CancellationTokenSource();
        var sending = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, cancel.Token);
        var request = (await server.ReceiveAsync(Wait))[0].Header;
        await server.RespondAsync(request, NtStatus.Pending, credits: 2, ScriptedServer.ErrorBody(), asyncId: 0x1234);
        await WaitUntilAsync(() => server.Client.CreditsAvailable == 2); // The reader loop has taken the interim response.
        Assert.False(sending.IsCompleted);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending.WaitAsync(Wait));
        var cancelMessage = (await server.ReceiveAsync(Wait))[0];
        Assert.Equal(Smb2Command.Cancel, cancelMessage.Header.Command);
        Assert.True(cancelMessage.Header.IsAsync);
        Assert.Equal(0x1234UL, cancelMessage.Header.AsyncId);
        Assert.Equal(request.MessageId, cancelMessage.Header.MessageId);

        // The server's final STATUS_CANCELLED for the given-up request is ignored, and the connection carries on.
        await server.RespondAsync(request, NtStatus.Cancelled, credits: 1, ScriptedServer.ErrorBody(), asyncId: 0x1234);
        var next = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None);
        var nextRequest = (await server.ReceiveAsync(Wait))[0].Header;
        await server.RespondAsync(nextRequest, NtStatus.Success, credits: 1, ScriptedServer.CloseBody());
        Assert.Equal(NtStatus.Success, (await next.WaitAsync(Wait))[0].Status);
        Assert.True(nextRequest.MessageId > request.MessageId);
    }

    [Fact]
    public async Task SendAsync_ServerGrantsOneCreditPerResponse_NeverOverSendsAndCompletesAll()
    {
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30));
        const int Requests = 20;
        var sending = Enumerable.Range(0, Requests)
            .Select(_ => server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None))
            .ToList();

        // One credit to start with, one back with each response: the client may never have two requests outstanding.
        var seen = new HashSet<ulong>();
        for (var i = 0; i < Requests; i++)
        {
            var messages = await server.ReceiveAsync(Wait);
            var request = Assert.Single(messages).Header;
            Assert.True(seen.Add(request.MessageId));
            Assert.True(await server.StaysQuietAsync(TimeSpan.FromMilliseconds(20)), "The client sent beyond its single credit.");
            await server.RespondAsync(request, NtStatus.Success, credits: 1, ScriptedServer.CloseBody());
        }

        var responses = await Task.WhenAll(sending).WaitAsync(Wait);
        Assert.All(responses, r => Assert.Equal(NtStatus.Success, r[0].Status));
        Assert.Equal(Enumerable.Range(0, Requests).Select(i => (ulong)i), seen.Order());
    }

    [Fact]
    public async Task SendAsync_ServerGrantsNoCredits_FailsInsteadOfWaitingForever()
    {
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(1));
        var first = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None);
        var request = (await server.ReceiveAsync(Wait))[0].Header;
        var second = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None);

        await server.RespondAsync(request, NtStatus.Success, credits: 0, ScriptedServer.CloseBody());

        Assert.Equal(NtStatus.Success, (await first.WaitAsync(Wait))[0].Status);
        var error = await Assert.ThrowsAsync<SmbConnectionException>(() => second.WaitAsync(Wait));
        Assert.Contains("credits", error.Message, StringComparison.Ordinal);
        Assert.False(server.Client.IsHealthy);
    }

    [Theory]
    [InlineData(16, 1 + 16)] // MaxRequestsInFlight 16: target 64 credits, a quarter of it asked at a time.
    [InlineData(128, 1 + 64)] // The default: target 512, at most 64 more per message.
    public async Task SendAsync_BelowHalfTheTarget_AsksForMoreCreditsThenOnlyItsCharge_Issue7(int maxRequestsInFlight, int firstAsk)
    {
        var target = SmbConnection.TargetCreditsFor(maxRequestsInFlight);
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30), target);
        var first = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None);
        var request = (await server.ReceiveAsync(Wait))[0].Header;
        Assert.Equal(firstAsk, request.Credits);

        // Granted enough to hold half the target after the next message's charge: that message asks only for what it spends.
        await server.RespondAsync(request, NtStatus.Success, credits: (ushort)((target / 2) + 1), ScriptedServer.CloseBody());
        await first.WaitAsync(Wait);
        var second = server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None);
        var next = (await server.ReceiveAsync(Wait))[0].Header;
        await server.RespondAsync(next, NtStatus.Success, credits: 1, ScriptedServer.CloseBody());
        await second.WaitAsync(Wait);

        Assert.Equal(1, next.Credits);
    }

    [Theory]
    [InlineData(1, 64)]
    [InlineData(64, 256)]
    [InlineData(128, 512)]
    [InlineData(1024, 4096)]
    public void TargetCreditsFor_MaxRequestsInFlight_FourPerOperationWithinBounds_Issue7(int maxRequestsInFlight, int expected) =>
        Assert.Equal(expected, SmbConnection.TargetCreditsFor(maxRequestsInFlight));

    [Fact]
    public async Task SendAsync_ReadWithDestination_CopiesDataThereAndReportsCount()
    {
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30));
        var destination = new byte[500];
        var sending = server.Client.SendAsync([ReadRequest(500)], related: false, readIndex: 0, destination, CancellationToken.None);
        var request = (await server.ReceiveAsync(Wait))[0].Header;
        var body = ResponseSamples.Read(300)[Smb2Header.Size..];
        body[^1] = 0x5A;

        await server.RespondAsync(request, NtStatus.Success, credits: 1, body);

        var response = (await sending.WaitAsync(Wait))[0];
        Assert.Equal(300, response.DeliveredBytes);
        Assert.Equal(0x5A, destination[299]);
        Assert.Equal(0, destination[300]);
    }

    [Fact]
    public async Task SendAsync_ReadReturnsMoreThanAsked_FailsConnectionWithoutWritingOrHanging()
    {
        await using var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30));
        var destination = new byte[100];
        var sending = server.Client.SendAsync([ReadRequest(100)], related: false, readIndex: 0, destination, CancellationToken.None);
        var request = (await server.ReceiveAsync(Wait))[0].Header;
        var body = ResponseSamples.Read(300)[Smb2Header.Size..];
        body.AsSpan(16).Fill(0x5A);

        await server.RespondAsync(request, NtStatus.Success, credits: 1, body);

        var error = await Assert.ThrowsAsync<SmbConnectionException>(() => sending.WaitAsync(Wait));
        Assert.Contains("protocol", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.All(destination, b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task SendAsync_RacingDisposal_FailsAsConnectionFailure()
    {
        // A request that meets a connection being torn down must see the connection's failure (retried by the source
        // on a fresh connection), never an ObjectDisposedException.
        for (var round = 0; round < 20; round++)
        {
            var server = await ScriptedServer.StartAsync(TimeSpan.FromSeconds(30));
            var sends = Enumerable.Range(0, 8)
                .Select(_ => Task.Run(() => server.Client.SendAsync([ScriptedServer.CloseRequest()], related: false, CancellationToken.None)))
                .ToList();
            await server.DisposeAsync();

            foreach (var send in sends)
            {
                var error = await Record.ExceptionAsync(() => send.WaitAsync(Wait));
                Assert.IsType<SmbConnectionException>(error);
            }
        }
    }

    private static Smb2Request ReadRequest(int length) => new(Smb2Command.Read, Read.BuildRequest(new FileId(1, 2), 0, length), length);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(condition());
    }
}
