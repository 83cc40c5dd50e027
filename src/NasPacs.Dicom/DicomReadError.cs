namespace NasPacs.Dicom;

/// <summary>Why a header could not be read, and where.</summary>
/// <param name="Message">What is wrong, for a person; never contains element values.</param>
/// <param name="Offset">The byte offset in the file where the problem was found, when known.</param>
/// <param name="Tag">The element being read, when known.</param>
public sealed record DicomReadError(string Message, long? Offset = null, DicomTag? Tag = null);
