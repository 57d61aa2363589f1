using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace TiesOffice.Testing.Azurite;

/// <summary>
/// Starts Azurite (the Azure Storage emulator) from the repository's <c>node_modules</c> on free loopback ports,
/// in memory, and stops it at the end. Use it as an xunit v3 assembly fixture
/// (<c>[assembly: AssemblyFixture(typeof(AzuriteFixture))]</c>) and take it in a test class's constructor.
/// </summary>
/// <remarks>
/// Set the environment variable <c>TIESOFFICE_STORAGE_CONNECTION</c> to a real storage account's connection string
/// to run the same tests against Azure instead (nothing is started then); that is how the ETag and size-limit tests
/// should also be run, because Azurite does not enforce everything (see docs/Storage.md).
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's well-known development account key (public, documented by Microsoft).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>The environment variable that points the tests at a real storage account instead of Azurite.</summary>
    public const string ExternalConnectionVariable = "TIESOFFICE_STORAGE_CONNECTION";

    private readonly StringBuilder _output = new();
    private Process? _process;
    private string? _externalConnection;
    private string? _workDir;

    /// <summary>The blob endpoint (path style, with the account name).</summary>
    public Uri BlobEndpoint { get; private set; } = null!;

    /// <summary>The queue endpoint (path style, with the account name).</summary>
    public Uri QueueEndpoint { get; private set; } = null!;

    /// <summary>The table endpoint (path style, with the account name).</summary>
    public Uri TableEndpoint { get; private set; } = null!;

    /// <summary>Whether the tests run against a real account rather than Azurite.</summary>
    public bool IsExternal => _externalConnection is not null;

    /// <summary>A connection string for all three services.</summary>
    public string ConnectionString => _externalConnection ?? ConnectionStringFor();

    /// <summary>
    /// A connection string whose table and/or queue endpoint is replaced, for example by a
    /// <see cref="FaultInjectingProxy"/> in front of Azurite.
    /// </summary>
    public string ConnectionStringFor(Uri? tableEndpoint = null, Uri? queueEndpoint = null) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={queueEndpoint ?? QueueEndpoint};TableEndpoint={tableEndpoint ?? TableEndpoint};";

    /// <summary>A unique table prefix (letters and digits) so each test class gets its own tables.</summary>
    public static string NewTablePrefix(string hint = "t") =>
        hint + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A unique queue name (lower-case letters, digits, hyphens).</summary>
    public static string NewQueueName(string hint = "jobs") =>
        hint + "-" + Guid.NewGuid().ToString("N")[..12];

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        _externalConnection = Environment.GetEnvironmentVariable(ExternalConnectionVariable) is { Length: > 0 } external ? external : null;
        if (_externalConnection is not null)
        {
            return;
        }

        var root = FindRepositoryRoot();
        var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: '{azurite}' is missing. Run `npm ci` in {root} (it installs the azurite version pinned in package.json).");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                await StartAsync(azurite).ConfigureAwait(false);
                return;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely a port taken between choosing and binding it; choose again.
                last = ex;
                Stop();
            }
        }

        throw new InvalidOperationException("Azurite did not start: " + last?.Message, last);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private async Task StartAsync(string azurite)
    {
        var blob = FreePort();
        var queue = FreePort();
        var table = FreePort();
        var workDir = Directory.CreateTempSubdirectory("azurite-").FullName;
        _workDir = workDir;
        var start = new ProcessStartInfo(azurite)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
                     "--blobHost", "127.0.0.1", "--blobPort", blob.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queueHost", "127.0.0.1", "--queuePort", queue.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tableHost", "127.0.0.1", "--tablePort", table.ToString(System.Globalization.CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        _output.Clear();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + azurite);
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        BlobEndpoint = new Uri($"http://127.0.0.1:{blob}/{AccountName}");
        QueueEndpoint = new Uri($"http://127.0.0.1:{queue}/{AccountName}");
        TableEndpoint = new Uri($"http://127.0.0.1:{table}/{AccountName}");

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {Output()}");
            }

            if (await AnswersAsync(blob).ConfigureAwait(false) && await AnswersAsync(queue).ConfigureAwait(false) && await AnswersAsync(table).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new InvalidOperationException("Azurite did not answer within 60 s: " + Output());
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private void Stop()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // It already exited.
        }

        _process.Dispose();
        _process = null;
        try
        {
            if (_workDir is not null)
            {
                Directory.Delete(_workDir, recursive: true);
            }
        }
        catch (IOException)
        {
            // Best effort: it is a temp folder.
        }
    }

    private static async Task<bool> AnswersAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The nearest folder above the test binaries with a package.json that lists azurite.</summary>
    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var package = Path.Combine(dir.FullName, "package.json");
            if (File.Exists(package) && File.ReadAllText(package).Contains("\"azurite\"", StringComparison.Ordinal))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"No package.json listing azurite above {AppContext.BaseDirectory}; run the tests from the TiesOffice repository, after `npm ci`.");
    }
}
