using NasPacs.Abstractions.Files;

namespace NasPacs.Enumeration;

/// <summary>Opens local, mounted and UNC folders as <see cref="IFileSource"/>s.</summary>
public interface ILocalFileSourceFactory
{
    /// <summary>Opens <paramref name="rootPath"/> (absolute or relative to the current folder).</summary>
    /// <exception cref="FileSourceException">The folder does not exist or cannot be reached (<c>fs.root-unreachable</c>).</exception>
    IFileSource Create(string rootPath);
}

internal sealed class LocalFileSourceFactory(Microsoft.Extensions.Options.IOptions<LocalFileSourceOptions> options, TimeProvider time) : ILocalFileSourceFactory
{
    public IFileSource Create(string rootPath) => new LocalFileSource(rootPath, options.Value, time);
}
