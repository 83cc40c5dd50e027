using System.Globalization;

namespace NasPacs.Dicom;

/// <summary>A DICOM data element tag (group, element), printed as the standard prints it: <c>(0020,000D)</c>.</summary>
/// <param name="Group">The group number.</param>
/// <param name="Element">The element number.</param>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>The tag as one 32-bit number, group in the high half: the order elements appear in a dataset (PS3.5 §7.1).</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>Whether this is a private tag (odd group, PS3.5 §7.8).</summary>
    public bool IsPrivate => (Group & 1) == 1;

    /// <summary>Creates a tag from its 32-bit value.</summary>
    public static DicomTag FromValue(uint value) => new((ushort)(value >> 16), (ushort)value);

    /// <inheritdoc />
    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>Compares by dataset order.</summary>
    public static bool operator <(DicomTag left, DicomTag right) => left.Value < right.Value;

    /// <summary>Compares by dataset order.</summary>
    public static bool operator >(DicomTag left, DicomTag right) => left.Value > right.Value;

    /// <summary>Compares by dataset order.</summary>
    public static bool operator <=(DicomTag left, DicomTag right) => left.Value <= right.Value;

    /// <summary>Compares by dataset order.</summary>
    public static bool operator >=(DicomTag left, DicomTag right) => left.Value >= right.Value;
}
