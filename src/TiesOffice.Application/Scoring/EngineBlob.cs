using System.Buffers.Binary;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Application.Scoring;

/// <summary>
/// The user's engine blob (<see cref="Ports.IEngineStateStore"/>): the tie ledger and, beside it, the
/// <see cref="ContactBook"/> (names and weekly counts), written and read together so that they never disagree. Layout:
/// the magic <c>TOEB</c>, the ledger's length (4 bytes, little-endian), the ledger (<see cref="TieLedger.Serialize"/>),
/// then the book (<see cref="ContactBook.Serialize"/>). A blob written before the book existed is a bare ledger; it
/// reads with no book, and the next scoring rebuilds both from the stored items.
/// </summary>
public static class EngineBlob
{
    private static ReadOnlySpan<byte> Magic => "TOEB"u8;

    /// <summary>Writes the ledger and the book as one blob.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <param name="book">The book.</param>
    /// <returns>The bytes.</returns>
    public static byte[] Write(TieLedger ledger, ContactBook book)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(book);
        var l = ledger.Serialize();
        var b = book.Serialize();
        var data = new byte[Magic.Length + 4 + l.Length + b.Length];
        Magic.CopyTo(data);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(Magic.Length), l.Length);
        l.CopyTo(data, Magic.Length + 4);
        b.CopyTo(data, Magic.Length + 4 + l.Length);
        return data;
    }

    /// <summary>Reads a blob: the ledger, and the book (null for a blob written before books).</summary>
    /// <param name="data">The bytes.</param>
    /// <returns>The ledger and the book.</returns>
    /// <exception cref="ArgumentException">The bytes are neither; they are damaged or of another format version.</exception>
    public static (TieLedger Ledger, ContactBook? Book) Read(ReadOnlyMemory<byte> data)
    {
        var span = data.Span;
        if (!span.StartsWith(Magic))
        {
            return (TieLedger.Deserialize(data.ToArray()), null);
        }

        if (span.Length < Magic.Length + 4)
        {
            throw new ArgumentException("The engine blob is truncated.", nameof(data));
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(span[Magic.Length..]);
        if (length < 0 || length > span.Length - Magic.Length - 4)
        {
            throw new ArgumentException("The engine blob is truncated.", nameof(data));
        }

        var ledger = TieLedger.Deserialize(span.Slice(Magic.Length + 4, length).ToArray());
        var book = ContactBook.Deserialize(data[(Magic.Length + 4 + length)..]);
        return (ledger, book);
    }
}
