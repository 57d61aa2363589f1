using System.Text.Json;

namespace TiesOffice.Deployment.Tests;

/// <summary>
/// infra/main.bicep compiled once by the real CLI (<c>bicep build --stdout</c>) and shared by the template
/// tests; each build starts a 120 MB native binary, so one build serves the whole class.
/// </summary>
public sealed class CompiledTemplate : IAsyncLifetime
{
    private JsonDocument? _document;

    public int Exit { get; private set; }

    public string Errors { get; private set; } = "";

    public JsonElement Root => (_document ?? throw new InvalidOperationException("The template did not compile: " + Errors)).RootElement;

    /// <summary>Every resource of the template (languageVersion 1 lists them in an array, 2.0 in an object).</summary>
    public IReadOnlyList<JsonElement> Resources
    {
        get
        {
            var resources = Root.GetProperty("resources");
            return resources.ValueKind == JsonValueKind.Array
                ? [.. resources.EnumerateArray()]
                : [.. resources.EnumerateObject().Select(p => p.Value)];
        }
    }

    public IReadOnlyList<JsonElement> OfType(string type) =>
        [.. Resources.Where(r => string.Equals(r.GetProperty("type").GetString(), type, StringComparison.OrdinalIgnoreCase))];

    public async ValueTask InitializeAsync()
    {
        var (exit, stdout, stderr) = await BicepCli.RunAsync("build", BicepCli.MainTemplate, "--stdout");
        Exit = exit;
        Errors = stderr;
        if (exit == 0)
        {
            _document = JsonDocument.Parse(stdout);
        }
    }

    public ValueTask DisposeAsync()
    {
        _document?.Dispose();
        return ValueTask.CompletedTask;
    }
}
