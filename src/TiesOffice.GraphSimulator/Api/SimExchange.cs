namespace TiesOffice.GraphSimulator.Api;

/// <summary>A Graph request independent of HTTP, so that $batch can run inner requests through the same code.</summary>
internal sealed record SimRequest(string Method, string Path, string Query, string BaseUrl, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>What the simulator answers.</summary>
internal sealed class SimResponse
{
    public int Status { get; init; } = 200;

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[] Body { get; set; } = [];

    public string? ContentType { get; set; } = "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

    /// <summary>Abort the connection instead of answering.</summary>
    public bool Drop { get; init; }
}
