namespace NasPacs.Abstractions.Files;

/// <summary>One file seen by a <see cref="IFileSource"/> while it walks its root.</summary>
/// <param name="RelativePath">Path below the source's root, always with <c>/</c> separators and no leading slash.</param>
/// <param name="Size">Size in bytes as the listing reported it.</param>
/// <param name="LastWriteTimeUtc">Last write time as the listing reported it, in UTC.</param>
public readonly record struct FileEntry(string RelativePath, long Size, DateTimeOffset LastWriteTimeUtc);
