using System.Globalization;
using System.Text;

namespace TiesOffice.GraphSimulator.Api;

/// <summary>
/// The state carried by a skip or delta token. Clients see only an opaque base64url string.
/// </summary>
internal sealed record DeltaToken(char Kind, string UserId, string Scope, int Generation, long Cursor, long Watermark, bool Initial, string Select)
{
    public string Encode()
    {
        var text = string.Join('|', "v1", Kind.ToString(), UserId, Scope, Generation.ToString(CultureInfo.InvariantCulture),
            Cursor.ToString(CultureInfo.InvariantCulture), Watermark.ToString(CultureInfo.InvariantCulture), Initial ? "1" : "0", Select);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }

    public static DeltaToken? Decode(string token)
    {
        try
        {
            var b64 = token.Replace('-', '+').Replace('_', '/');
            b64 += new string('=', (4 - (b64.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(b64)).Split('|');
            if (parts.Length != 9 || parts[0] != "v1" || parts[1].Length != 1)
            {
                return null;
            }

            return new DeltaToken(
                parts[1][0], parts[2], parts[3],
                int.Parse(parts[4], CultureInfo.InvariantCulture),
                long.Parse(parts[5], CultureInfo.InvariantCulture),
                long.Parse(parts[6], CultureInfo.InvariantCulture),
                parts[7] == "1", parts[8]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
