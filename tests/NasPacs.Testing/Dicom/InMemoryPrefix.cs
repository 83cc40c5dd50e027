using NasPacs.Dicom;

namespace NasPacs.Testing.Dicom;

/// <summary>A <see cref="PrefixReader"/> over bytes in memory, as the SMB client or a file would serve them.</summary>
public static class InMemoryPrefix
{
    /// <param name="file">The whole file.</param>
    /// <param name="onRead">Called with each requested length, to see how the reader grows its prefix.</param>
    public static PrefixReader Of(byte[] file, Action<int>? onRead = null) => (destination, _) =>
    {
        onRead?.Invoke(destination.Length);
        var count = Math.Min(destination.Length, file.Length);
        file.AsSpan(0, count).CopyTo(destination.Span);
        return ValueTask.FromResult(count);
    };
}
