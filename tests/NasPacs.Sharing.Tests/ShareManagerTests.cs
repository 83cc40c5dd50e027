using System.Text;
using NasPacs.Abstractions.Indexing;
using NasPacs.Testing;

namespace NasPacs.Sharing.Tests;

public sealed class ShareManagerTests : IDisposable
{
    private readonly ShareTestHost _host = new();

    private IShareManager Shares => _host.Shares;

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Create_NoExpiry_ExpiresAfterDefault24Hours()
    {
        var created = await _host.CreateAsync();

        Assert.Equal(_host.Time.GetUtcNow().AddHours(24), created.Share.ExpiresAt);
        Assert.Equal(43, created.Token.Length);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", created.Token);
        Assert.Equal(ShareState.Active, created.Share.StateAt(_host.Time.GetUtcNow()));
    }

    [Fact]
    public async Task Create_ExpiryAboveMaximum_ThrowsNamingTheField()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _host.CreateAsync(expiresIn: TimeSpan.FromDays(31)));

        Assert.Equal(nameof(ShareRequest.ExpiresIn), ex.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task Create_MaxDownloadsOutOfRange_Throws(int max)
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _host.CreateAsync(maxDownloads: max));

        Assert.Equal(nameof(ShareRequest.MaxDownloads), ex.ParamName);
    }

    [Fact]
    public async Task Create_ShortPassword_Throws()
    {
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => _host.CreateAsync(password: "short"));

        Assert.Equal(nameof(ShareRequest.Password), ex.ParamName);
    }

    [Fact]
    public async Task Create_ManyLinks_TokensAreDistinct()
    {
        var tokens = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 50; i++)
        {
            tokens.Add((await _host.CreateAsync()).Token);
        }

        Assert.Equal(50, tokens.Count);
    }

    [Fact]
    public async Task Authorize_ValidToken_GrantsAndCountsAccess()
    {
        var created = await _host.CreateAsync();

        var access = await Shares.AuthorizeAsync(created.Token, ShareAction.View, ShareTestHost.Client(), unlocked: false);

        Assert.Equal(ShareOutcome.Granted, access.Outcome);
        Assert.Equal(created.Share.Id, access.Share!.Id);
        Assert.Equal(1, access.Share.Accesses);
        Assert.Equal(_host.Time.GetUtcNow(), access.Share.LastAccessed);
    }

    [Theory]
    [InlineData(59, ShareOutcome.Granted)]
    [InlineData(60, ShareOutcome.Expired)]
    [InlineData(24 * 60, ShareOutcome.Expired)]
    public async Task Authorize_MinutesAfterCreationOfOneHourLink_GrantsOnlyBeforeExpiry(int minutes, ShareOutcome expected)
    {
        var created = await _host.CreateAsync(expiresIn: TimeSpan.FromHours(1));
        _host.Time.Advance(TimeSpan.FromMinutes(minutes));

        var access = await Shares.AuthorizeAsync(created.Token, ShareAction.Download, ShareTestHost.Client(), unlocked: false);

        Assert.Equal(expected, access.Outcome);
    }

    [Fact]
    public async Task Authorize_Revoked_ReturnsRevoked()
    {
        var created = await _host.CreateAsync();

        Assert.True(await Shares.RevokeAsync(created.Share.Id));
        var access = await Shares.AuthorizeAsync(created.Token, ShareAction.View, ShareTestHost.Client(), unlocked: false);

        Assert.Equal(ShareOutcome.Revoked, access.Outcome);
        Assert.False(await Shares.RevokeAsync(987_654));
    }

    [Fact]
    public async Task Authorize_DownloadsBeyondMaximum_ReturnsExhausted()
    {
        var created = await _host.CreateAsync(maxDownloads: 2);
        var client = ShareTestHost.Client();

        var first = await Shares.AuthorizeAsync(created.Token, ShareAction.Download, client, false);
        var second = await Shares.AuthorizeAsync(created.Token, ShareAction.Download, client, false);
        var third = await Shares.AuthorizeAsync(created.Token, ShareAction.Download, client, false);
        var view = await Shares.AuthorizeAsync(created.Token, ShareAction.View, client, false);

        Assert.Equal([ShareOutcome.Granted, ShareOutcome.Granted, ShareOutcome.Exhausted, ShareOutcome.Exhausted], [first.Outcome, second.Outcome, third.Outcome, view.Outcome]);
        Assert.Equal(2, (await Shares.GetAsync(created.Share.Id))!.Downloads);
    }

    [Fact]
    public async Task Authorize_ConcurrentDownloads_NeverOvershootMaximum()
    {
        var created = await _host.CreateAsync(maxDownloads: 5);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => Shares.AuthorizeAsync(created.Token, ShareAction.Download, ShareTestHost.Client($"192.0.2.{i}"), false))));

        Assert.Equal(5, results.Count(r => r.IsGranted));
        Assert.Equal(15, results.Count(r => r.Outcome == ShareOutcome.Exhausted));
        Assert.Equal(5, (await Shares.GetAsync(created.Share.Id))!.Downloads);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("not-a-token-at-all!!")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")]
    public async Task Authorize_MalformedToken_ReturnsMalformedAndLogsWithoutShare(string token)
    {
        var access = await Shares.AuthorizeAsync(token, ShareAction.View, ShareTestHost.Client(), false);

        Assert.Equal(ShareOutcome.Malformed, access.Outcome);
        Assert.Null(access.Share);
        Assert.Equal(["malformed"], SqliteProbe.Strings(_host.DatabasePath, "SELECT outcome FROM share_access_log WHERE share_id IS NULL"));
    }

    [Fact]
    public async Task Authorize_RandomWellFormedToken_ReturnsUnknown()
    {
        await _host.CreateAsync();
        var random = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        var access = await Shares.AuthorizeAsync(random, ShareAction.Download, ShareTestHost.Client(), false);

        Assert.Equal(ShareOutcome.Unknown, access.Outcome);
        Assert.Equal(1, SqliteProbe.Scalar(_host.DatabasePath, "SELECT COUNT(*) FROM share_access_log WHERE outcome = 'unknown' AND action = 'download' AND success = 0"));
    }

    [Fact]
    public async Task Authorize_PasswordShareNotUnlocked_RequiresPassword()
    {
        var created = await _host.CreateAsync(password: "correct horse");

        var view = await Shares.AuthorizeAsync(created.Token, ShareAction.View, ShareTestHost.Client(), unlocked: false);
        var download = await Shares.AuthorizeAsync(created.Token, ShareAction.Download, ShareTestHost.Client(), unlocked: false);
        var unlocked = await Shares.AuthorizeAsync(created.Token, ShareAction.Download, ShareTestHost.Client(), unlocked: true);

        Assert.Equal(ShareOutcome.PasswordRequired, view.Outcome);
        Assert.Equal(ShareOutcome.PasswordRequired, download.Outcome);
        Assert.Equal(ShareOutcome.Granted, unlocked.Outcome);
        Assert.Equal(1, (await Shares.GetAsync(created.Share.Id))!.Downloads);
    }

    [Fact]
    public async Task Unlock_RightAndWrongPassword_GrantsOnlyTheRightOne()
    {
        var created = await _host.CreateAsync(password: "correct horse");

        var wrong = await Shares.UnlockAsync(created.Token, "battery staple", ShareTestHost.Client());
        var empty = await Shares.UnlockAsync(created.Token, "", ShareTestHost.Client());
        var right = await Shares.UnlockAsync(created.Token, "correct horse", ShareTestHost.Client());

        Assert.Equal(ShareOutcome.WrongPassword, wrong.Outcome);
        Assert.Equal(ShareOutcome.WrongPassword, empty.Outcome);
        Assert.Equal(ShareOutcome.Granted, right.Outcome);
    }

    [Fact]
    public async Task Unlock_TooManyWrongPasswords_LocksTheShareWithDoublingBackoff()
    {
        var created = await _host.CreateAsync(password: "correct horse");
        for (var i = 0; i < 5; i++)
        {
            // Different clients, so only the share's own limit applies.
            Assert.Equal(ShareOutcome.WrongPassword, (await Shares.UnlockAsync(created.Token, "guess " + i, ShareTestHost.Client($"198.51.100.{i}"))).Outcome);
        }

        var locked = await Shares.UnlockAsync(created.Token, "correct horse", ShareTestHost.Client("203.0.113.1"));
        Assert.Equal(ShareOutcome.Throttled, locked.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), locked.RetryAfter);

        _host.Time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(ShareOutcome.WrongPassword, (await Shares.UnlockAsync(created.Token, "guess 6", ShareTestHost.Client("203.0.113.1"))).Outcome);
        var doubled = await Shares.UnlockAsync(created.Token, "correct horse", ShareTestHost.Client("203.0.113.1"));
        Assert.Equal(TimeSpan.FromSeconds(60), doubled.RetryAfter);

        _host.Time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(ShareOutcome.Granted, (await Shares.UnlockAsync(created.Token, "correct horse", ShareTestHost.Client("203.0.113.1"))).Outcome);
        Assert.Equal(0, SqliteProbe.Scalar(_host.DatabasePath, $"SELECT failed_attempts FROM shares WHERE id = {created.Share.Id}"));
    }

    [Fact]
    public async Task Authorize_ClientGuessingTokens_IsThrottledThenForgivenAfterBackoff()
    {
        var created = await _host.CreateAsync();
        var guesser = ShareTestHost.Client("192.0.2.66");
        for (var i = 0; i < 10; i++)
        {
            await Shares.AuthorizeAsync("guess" + i, ShareAction.View, guesser, false);
        }

        var blocked = await Shares.AuthorizeAsync(created.Token, ShareAction.View, guesser, false);
        var other = await Shares.AuthorizeAsync(created.Token, ShareAction.View, ShareTestHost.Client("192.0.2.67"), false);
        _host.Time.Advance(TimeSpan.FromSeconds(30));
        var later = await Shares.AuthorizeAsync(created.Token, ShareAction.View, guesser, false);

        Assert.Equal(ShareOutcome.Throttled, blocked.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(30), blocked.RetryAfter);
        Assert.Equal(ShareOutcome.Granted, other.Outcome);
        Assert.Equal(ShareOutcome.Granted, later.Outcome);
    }

    [Fact]
    public async Task Database_AfterUse_NeverContainsTheTokenOrPassword()
    {
        var created = await _host.CreateAsync(password: "correct horse");
        await Shares.UnlockAsync(created.Token, "correct horse", ShareTestHost.Client());
        await Shares.AuthorizeAsync(created.Token, ShareAction.Download, ShareTestHost.Client(), unlocked: true);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var files = Directory.GetFiles(_host.Folder.Path, "shares.db*");
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var bytes = File.ReadAllBytes(file);
            Assert.False(Contains(bytes, Encoding.ASCII.GetBytes(created.Token)), $"{Path.GetFileName(file)} contains the token");
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes("correct horse")), $"{Path.GetFileName(file)} contains the password");
        }

        Assert.Equal(1, SqliteProbe.Scalar(_host.DatabasePath, "SELECT COUNT(*) FROM shares WHERE length(token_hash) = 32 AND password_hash LIKE 'pbkdf2-sha256$10000$%'"));
    }

    [Fact]
    public async Task AccessLog_EveryRequest_IsRecordedWithClientNewestFirst()
    {
        var created = await _host.CreateAsync(password: "correct horse");
        await Shares.AuthorizeAsync(created.Token, ShareAction.View, new ShareClient("192.0.2.1", "agent-a"), false);
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await Shares.UnlockAsync(created.Token, "nope nope", new ShareClient("192.0.2.2", "agent-b"));
        _host.Time.Advance(TimeSpan.FromSeconds(1));
        await Shares.UnlockAsync(created.Token, "correct horse", new ShareClient("192.0.2.3", null));

        var log = await Shares.GetAccessLogAsync(created.Share.Id, new PageRequest());

        Assert.Equal(3, log.Total);
        Assert.Equal([ShareOutcome.Granted, ShareOutcome.WrongPassword, ShareOutcome.PasswordRequired], log.Items.Select(r => r.Outcome));
        Assert.Equal([ShareAction.Unlock, ShareAction.Unlock, ShareAction.View], log.Items.Select(r => r.Action));
        Assert.Equal(["192.0.2.3", "192.0.2.2", "192.0.2.1"], log.Items.Select(r => r.IpAddress));
        Assert.Equal([null, "agent-b", "agent-a"], log.Items.Select(r => r.UserAgent));
        Assert.Equal(_host.Time.GetUtcNow(), log.Items[0].At);
    }

    [Fact]
    public async Task Statistics_MixedLinks_CountsEachState()
    {
        await _host.CreateAsync();
        var revoked = await _host.CreateAsync();
        await Shares.RevokeAsync(revoked.Share.Id);
        var exhausted = await _host.CreateAsync(maxDownloads: 1);
        await Shares.AuthorizeAsync(exhausted.Token, ShareAction.Download, ShareTestHost.Client(), false);
        await _host.CreateAsync(expiresIn: TimeSpan.FromMinutes(5));
        _host.Time.Advance(TimeSpan.FromMinutes(10));
        await Shares.AuthorizeAsync(revoked.Token, ShareAction.View, ShareTestHost.Client(), false);

        var stats = await Shares.GetStatisticsAsync();

        Assert.Equal(new ShareStatistics(Total: 4, Active: 1, Expired: 1, Revoked: 1, Exhausted: 1, Downloads: 1, GrantedAccesses: 1, RefusedAccesses: 1), stats);
    }

    [Fact]
    public async Task List_NewestFirst_Paged()
    {
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await _host.CreateAsync()).Share.Id);
        }

        var page = await Shares.ListAsync(new PageRequest(1, 1));

        Assert.Equal(3, page.Total);
        Assert.Equal(ids[1], Assert.Single(page.Items).Id);
    }

    [Fact]
    public async Task Schema_NewDatabase_HasLatestVersion()
    {
        await _host.Shares.GetStatisticsAsync();

        Assert.Equal(Storage.ShareDatabase.Scripts[^1].Version, SqliteProbe.Scalar(_host.DatabasePath, "PRAGMA user_version"));
        Assert.Equal("wal", SqliteProbe.Strings(_host.DatabasePath, "PRAGMA journal_mode")[0]);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
