using System.Diagnostics;
using System.Reflection;

namespace TiesOffice.Deployment.Tests;

/// <summary>
/// Runs the real Bicep CLI from the Azure.Bicep.CommandLine.linux-x64 NuGet package. The package folder comes
/// from the project file (GeneratePathProperty, handed over as assembly metadata); the binary is tools/bicep.
/// </summary>
internal static class BicepCli
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static string ExecutablePath { get; } = FindExecutable();

    public static string RepositoryRoot { get; } = FindRoot();

    public static string MainTemplate => Path.Combine(RepositoryRoot, "infra", "main.bicep");

    /// <summary>Runs <c>bicep</c> with <paramref name="args"/> and returns its exit code and both streams.</summary>
    public static async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The CLI sends no telemetry and needs no network for local files; tracing stays off so nothing
        // but diagnostics reaches stderr (the tests treat any stderr output as a finding).
        start.Environment["BICEP_TRACING_ENABLED"] = "false";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start: " + ExecutablePath);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', args)} did not finish within {Timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    private static string FindExecutable()
    {
        // The package referenced is the linux-x64 build of the CLI (the machine that runs these tests).
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The deployment tests run the linux-x64 Bicep CLI; run them on Linux.");
        }

        var packagePath = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BicepPackagePath")?.Value;
        if (string.IsNullOrEmpty(packagePath))
        {
            throw new InvalidOperationException("BicepPackagePath metadata is missing; restore the Azure.Bicep.CommandLine.linux-x64 package.");
        }

        var executable = Path.Combine(packagePath, "tools", "bicep");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException("The Bicep CLI is not where the package puts it.", executable);
        }

        // NuGet extraction does not always keep the execute bit; add it for the owner if it is missing.
        var mode = File.GetUnixFileMode(executable);
        if (!mode.HasFlag(UnixFileMode.UserExecute))
        {
            File.SetUnixFileMode(executable, mode | UnixFileMode.UserExecute);
        }

        return executable;
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TiesOffice.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TiesOffice.sln not found above " + AppContext.BaseDirectory);
    }
}
