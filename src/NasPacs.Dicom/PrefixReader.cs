namespace NasPacs.Dicom;

/// <summary>
/// Reads a file from offset 0 into <paramref name="destination"/>, as much as fits, and returns how many bytes were read:
/// fewer than the destination's length only at the end of the file.
/// </summary>
public delegate ValueTask<int> PrefixReader(Memory<byte> destination, CancellationToken cancellationToken);
