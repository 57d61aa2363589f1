using System.IO.Compression;
using Azure.Data.Tables;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>
/// Spreads a byte array over binary properties (<c>D0</c>, <c>D1</c>, …) of at most 64,000 bytes each, at most
/// <see cref="ColumnsPerRow"/> per row, and as many rows as needed.
/// </summary>
/// <remarks>
/// The service counts a binary property as its length plus 4 bytes against the 1 MiB entity limit, but Azurite
/// counts the base64 JSON it was sent; 11 columns (704,000 bytes, about 940,000 as base64) stay under both.
/// </remarks>
internal static class BlobColumns
{
    public const int ColumnBytes = 64_000;
    public const int ColumnsPerRow = 11;
    public const int RowBytes = ColumnBytes * ColumnsPerRow;

    public static int RowsFor(int length) => Math.Max(1, (length + RowBytes - 1) / RowBytes);

    /// <summary>Puts row <paramref name="row"/>'s share of <paramref name="data"/> into <paramref name="entity"/>.</summary>
    public static void Fill(TableEntity entity, ReadOnlyMemory<byte> data, int row)
    {
        var start = row * RowBytes;
        var end = Math.Min(data.Length, start + RowBytes);
        var column = 0;
        for (var offset = start; offset < end; offset += ColumnBytes, column++)
        {
            entity["D" + column] = data.Slice(offset, Math.Min(ColumnBytes, end - offset)).ToArray();
        }
    }

    /// <summary>Appends a row's columns, in order, to <paramref name="target"/>.</summary>
    public static void Read(TableEntity entity, Stream target)
    {
        for (var column = 0; column < ColumnsPerRow; column++)
        {
            var value = entity.GetBinary("D" + column);
            if (value is null)
            {
                break;
            }

            target.Write(value);
        }
    }

    /// <summary>The <c>D*</c> column names, for <c>select</c>.</summary>
    public static IEnumerable<string> ColumnNames => Enumerable.Range(0, ColumnsPerRow).Select(i => "D" + i);

    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Decompress(Stream compressed)
    {
        using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
