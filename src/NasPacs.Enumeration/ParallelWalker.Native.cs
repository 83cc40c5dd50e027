using System.Buffers;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace NasPacs.Enumeration;

/// <summary>How the walk lists a folder. Only tests choose: they compare the two listings on the same tree.</summary>
internal enum FolderListing
{
    /// <summary><c>getdents64</c> on Linux where it works, .NET's <c>FileSystemEnumerable</c> everywhere else.</summary>
    Auto,

    /// <summary>Always .NET's listing.</summary>
    Managed,

    /// <summary><c>getdents64</c>, treating every entry's type as <c>DT_UNKNOWN</c> (as some file systems report it).</summary>
    NativeWithoutTypes,
}

internal sealed partial class ParallelWalker
{
    /// <summary>
    /// A folder's entries from <c>getdents64</c> on the descriptor <see cref="FolderStat"/> opened, as the items
    /// <see cref="Transform"/> makes of .NET's listing: the same names, types, link handling, sizes and times.
    /// </summary>
    /// <remarks>
    /// Each decision follows .NET's <c>FileSystemEntry</c> on Unix: a <c>DT_LNK</c> entry is a folder if what it points
    /// to is one (<c>stat</c>), a <c>DT_UNKNOWN</c> one is asked with <c>lstat</c> first, and a regular file is a file.
    /// Unlike .NET, a FIFO, socket or device, or a link to one, is left out (<see cref="FolderStat.IsSpecialFile"/>), as
    /// the managed listing does (<see cref="Transform"/>).
    /// A name that is not valid UTF-8 is decoded with U+FFFD as .NET decodes it, and then looked up by that decoded name,
    /// as .NET does: the entry is exactly the managed one (a path that no read can open, reported when it is read).
    /// A listing that cannot start returns <see langword="null"/>, and .NET lists the folder and reports any failure as before.
    /// </remarks>
    private sealed class NativeListing : IEnumerable<Item>, IEnumerator<Item>
    {
        private const byte DtUnknown = 0, DtDirectory = 4, DtRegular = 8, DtLink = 10;

        private readonly FolderStat _stat;
        private readonly Folder _folder;
        private readonly bool _skipHidden;
        private readonly bool _ignoreTypes;
        private byte[]? _buffer;
        private int _offset;
        private int _end;

        private NativeListing(FolderStat stat, Folder folder, bool skipHidden, bool ignoreTypes, byte[] buffer, int end)
        {
            _stat = stat;
            _folder = folder;
            _skipHidden = skipHidden;
            _ignoreTypes = ignoreTypes;
            _buffer = buffer;
            _end = end;
        }

        public Item Current { get; private set; }

        object IEnumerator.Current => Current;

        public static NativeListing? TryStart(FolderStat? stat, Folder folder, bool skipHidden, FolderListing mode, int bufferSize)
        {
            if (stat is null || mode == FolderListing.Managed || !FolderStat.CanReadEntries)
            {
                return null;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
            var read = stat.ReadEntries(buffer);
            if (read < 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return null;
            }

            return new NativeListing(stat, folder, skipHidden, mode == FolderListing.NativeWithoutTypes, buffer, read);
        }

        public IEnumerator<Item> GetEnumerator() => this;

        IEnumerator IEnumerable.GetEnumerator() => this;

        public bool MoveNext()
        {
            var buffer = _buffer ?? throw new ObjectDisposedException(nameof(NativeListing));
            while (true)
            {
                if (_offset >= _end)
                {
                    if (_end == 0)
                    {
                        return false;
                    }

                    var read = _stat.ReadEntries(buffer);
                    if (read < 0)
                    {
                        throw ListingError(-read, _folder.FullPath);
                    }

                    (_offset, _end) = (0, read);
                    continue;
                }

                var records = buffer.AsSpan(_offset, _end - _offset);
                int length = MemoryMarshal.Read<ushort>(records[FolderStat.RecordLengthOffset..]);
                var nameEnd = length > FolderStat.NameOffset && length <= records.Length ? records[FolderStat.NameOffset..length].IndexOf((byte)0) : -1;
                if (nameEnd <= 0)
                {
                    throw new IOException($"The folder '{_folder.FullPath}' gave a malformed directory record at byte {_offset}.");
                }

                _offset += length;
                if (TryItem(records.Slice(FolderStat.NameOffset, nameEnd + 1), records[FolderStat.TypeOffset], out var item))
                {
                    Current = item;
                    return true;
                }
            }
        }

        [SkipLocalsInit] // per entry: zeroing the name's char buffer cost more than decoding into it (perf, memset)
        private bool TryItem(ReadOnlySpan<byte> nameZ, byte type, out Item item)
        {
            item = default;
            var name = nameZ[..^1];
            if (name is [(byte)'.'] or [(byte)'.', (byte)'.'] || (_skipHidden && name[0] == (byte)'.'))
            {
                return false;
            }

            var parent = _folder.RelativePath;
            Span<char> chars = stackalloc char[256];
            string relative;
            if (Utf8.ToUtf16(name, chars, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done)
            {
                relative = parent.Length == 0 ? new string(chars[..written]) : string.Concat(parent, "/", chars[..written]);
            }
            else
            {
                var decoded = Encoding.UTF8.GetString(name);
                relative = parent.Length == 0 ? decoded : string.Concat(parent, "/", decoded);
                byte[] decodedZ = [.. Encoding.UTF8.GetBytes(decoded), 0];
                nameZ = decodedZ;
            }

            var ownKnown = false;
            EntryStat own = default;
            bool isDirectory;
            var isLink = false;
            switch (_ignoreTypes ? DtUnknown : type)
            {
                case DtDirectory:
                    isDirectory = true;
                    break;
                case DtRegular:
                    isDirectory = false;
                    break;
                case DtLink:
                    isLink = true;
                    if (!TryTarget(nameZ, out isDirectory))
                    {
                        return false;
                    }

                    break;
                case DtUnknown:
                    ownKnown = _stat.TryStat(nameZ, followLinks: false, out own);
                    isLink = ownKnown && own.IsLink;
                    if (ownKnown && own.IsSpecial)
                    {
                        return false;
                    }

                    isDirectory = ownKnown && own.IsDirectory;
                    if (isLink && !TryTarget(nameZ, out isDirectory))
                    {
                        return false;
                    }

                    break;
                default:
                    // A FIFO, socket or device: no image, and opening a FIFO would wait for a writer (FolderStat.IsSpecialFile).
                    return false;
            }

            if (isDirectory)
            {
                item = new Item(relative, true, isLink, 0, default);
                return true;
            }

            // A file is stat'ed without following a link, as .NET's entry is (a link to a file reports the link).
            if ((ownKnown || _stat.TryStat(nameZ, followLinks: false, out own)) && own.HasValues)
            {
                item = new Item(relative, false, false, own.Size, own.LastWriteTimeUtc);
                return true;
            }

            var (size, lastWrite) = ManagedValues(Path.Join(_folder.FullPath, relative.AsSpan(parent.Length == 0 ? 0 : parent.Length + 1)));
            item = new Item(relative, false, false, size, lastWrite);
            return true;
        }

        /// <summary>
        /// What a link points to: a folder, a file, or (<see langword="false"/>) a special file, which the walk leaves out.
        /// A link whose target cannot be asked is a file, as .NET's entry is; its read reports why.
        /// </summary>
        private bool TryTarget(ReadOnlySpan<byte> nameZ, out bool isDirectory)
        {
            var known = _stat.TryStat(nameZ, followLinks: true, out var target);
            isDirectory = known && target.IsDirectory;
            return !(known && target.IsSpecial);
        }

        /// <summary>What .NET's entry answers when the stat by name fails (the file vanished, an odd time): it asks by path.</summary>
        private static (long Size, DateTimeOffset LastWriteTimeUtc) ManagedValues(string fullPath)
        {
            var info = new FileInfo(fullPath);
            long size;
            try
            {
                size = info.Length;
            }
            catch (IOException)
            {
                // Gone since it was listed: the entry's Length is 0 then (and its time 1601-01-01, as FileInfo's).
                size = 0;
            }

            return (size, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero));
        }

        /// <summary>The exception .NET throws for a listing that fails part way (<c>Interop.GetExceptionForIoErrno</c>, folder flavour).</summary>
        private static Exception ListingError(int errno, string path) => errno switch
        {
            1 or 13 => new UnauthorizedAccessException($"Access to the path '{path}' is denied."),
            2 or 20 => new DirectoryNotFoundException($"Could not find a part of the path '{path}'."),
            _ => new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} : '{path}'", errno),
        };

        public void Reset() => throw new NotSupportedException();

        public void Dispose()
        {
            if (_buffer is { } buffer)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
