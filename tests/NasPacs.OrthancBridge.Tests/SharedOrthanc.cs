using NasPacs.Testing.Orthanc;

namespace NasPacs.OrthancBridge.Tests;

/// <summary>One test Orthanc for a test class; each test pushes its own generated series, so they do not interfere.</summary>
public sealed class SharedOrthanc : IAsyncLifetime
{
    private OrthancServer? _server;

    public OrthancServer Server => _server ?? throw new InvalidOperationException("Orthanc did not start.");

    public async Task InitializeAsync()
    {
        // Outside CI without Orthanc the facts are skipped and never touch Server.
        if (OrthancServer.UnavailableReason is null || Testing.Oracle.ReferenceTools.IsCI)
        {
            _server = await OrthancServer.StartAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
