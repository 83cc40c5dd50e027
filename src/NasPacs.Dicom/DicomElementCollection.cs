using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace NasPacs.Dicom;

/// <summary>
/// The decoded elements of one header in three flat arrays (tags, where each tag's values start, the values), so a header
/// costs a handful of allocations besides its strings. Values lists are made on access.
/// </summary>
internal sealed class DicomElementCollection : IReadOnlyDictionary<DicomTag, IReadOnlyList<string>>
{
    private readonly DicomTag[] _tags;
    private readonly int[] _starts;
    private readonly string[] _values;

    private DicomElementCollection(DicomTag[] tags, int count, int[] starts, string[] values)
    {
        _tags = tags;
        Count = count;
        _starts = starts;
        _values = values;
    }

    public static DicomElementCollection Empty { get; } = new([], 0, [0], []);

    public int Count { get; }

    public IReadOnlyList<string> this[DicomTag key] =>
        TryGetValue(key, out var values) ? values : throw new KeyNotFoundException($"The header has no element {key}.");

    public IEnumerable<DicomTag> Keys => new ArraySegment<DicomTag>(_tags, 0, Count);

    public IEnumerable<IReadOnlyList<string>> Values
    {
        get
        {
            for (var i = 0; i < Count; i++)
            {
                yield return ValuesAt(i);
            }
        }
    }

    public bool ContainsKey(DicomTag key) => IndexOf(key) >= 0;

    public bool TryGetValue(DicomTag key, [MaybeNullWhen(false)] out IReadOnlyList<string> value)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            value = null;
            return false;
        }

        value = ValuesAt(index);
        return true;
    }

    public IEnumerator<KeyValuePair<DicomTag, IReadOnlyList<string>>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return new(_tags[i], ValuesAt(i));
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private int IndexOf(DicomTag key)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_tags[i] == key)
            {
                return i;
            }
        }

        return -1;
    }

    private ArraySegment<string> ValuesAt(int index) => new(_values, _starts[index], _starts[index + 1] - _starts[index]);

    /// <summary>Collects the values of one parse, element by element.</summary>
    internal struct Builder(int expectedElements)
    {
        private readonly DicomTag[] _tags = new DicomTag[expectedElements];
        private readonly int[] _starts = new int[expectedElements + 1];
        private string[] _values = new string[expectedElements];
        private int _count;
        private int _valueCount;

        public readonly bool IsFull => _count == _tags.Length;

        /// <summary>Starts an element; returns <see langword="false"/> for a tag already collected (first one wins).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Begin(DicomTag tag)
        {
            // Elements come in ascending order, so only a tag not above the last one can be a repeat.
            if (_count == _tags.Length || (_count > 0 && tag <= _tags[_count - 1] && Array.IndexOf(_tags, tag, 0, _count) >= 0))
            {
                return false;
            }

            _tags[_count] = tag;
            _starts[_count] = _valueCount;
            return true;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(string value)
        {
            if (_valueCount == _values.Length)
            {
                Grow();
            }

            _values[_valueCount++] = value;
        }

        /// <summary>Ends the element begun last. A single empty value means "present, no value", as pydicom's '' or None.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void End()
        {
            if (_valueCount - _starts[_count] == 1 && _values[_valueCount - 1].Length == 0)
            {
                _valueCount--;
            }

            _count++;
            _starts[_count] = _valueCount;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void Grow() => Array.Resize(ref _values, Math.Max(4, _values.Length * 2));

        /// <summary>The values of an element already ended, or <see langword="null"/>.</summary>
        public readonly ReadOnlySpan<string> Get(DicomTag tag)
        {
            var index = Array.IndexOf(_tags, tag, 0, _count);
            return index < 0 ? default : _values.AsSpan(_starts[index], _starts[index + 1] - _starts[index]);
        }

        public readonly DicomElementCollection Build() => _count == 0 ? Empty : new(_tags, _count, _starts, _values);
    }
}
