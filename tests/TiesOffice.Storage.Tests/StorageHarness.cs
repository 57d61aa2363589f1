using System.Collections.Concurrent;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

namespace TiesOffice.Storage.Tests;

/// <summary>A service provider wired like a host, on unique tables and queue, with captured logs.</summary>
internal sealed class StorageHarness : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private StorageHarness(ServiceProvider provider, string prefix, string queueName, string connectionString, LogCapture logs)
    {
        _provider = provider;
        Prefix = prefix;
        QueueName = queueName;
        ConnectionString = connectionString;
        Logs = logs;
    }

    public string Prefix { get; }

    public string QueueName { get; }

    public string ConnectionString { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => _provider;

    public StorageRequestCounter Counter => Get<StorageRequestCounter>();

    public T Get<T>()
        where T : notnull => _provider.GetRequiredService<T>();

    public static StorageHarness Create(
        AzuriteFixture azurite,
        Action<StorageOptions>? configure = null,
        TimeProvider? clock = null,
        string? connectionString = null,
        string? prefix = null,
        string? queueName = null,
        Action<IServiceCollection>? services = null)
    {
        prefix ??= AzuriteFixture.NewTablePrefix();
        queueName ??= AzuriteFixture.NewQueueName();
        connectionString ??= azurite.ConnectionString;
        var logs = new LogCapture();
        var collection = new ServiceCollection();
        collection.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        if (clock is not null)
        {
            collection.AddSingleton(clock);
        }

        // Registered first, so they win over the adapter's TryAdd registrations (a test's decorators, for one).
        services?.Invoke(collection);
        collection.AddTiesOfficeStorage(options =>
        {
            options.ConnectionString = connectionString;
            options.TablePrefix = prefix;
            options.QueueName = queueName;
            options.RetryDelay = TimeSpan.FromMilliseconds(20);
            options.MaxRetryDelay = TimeSpan.FromMilliseconds(200);
            options.RetryBackoff = TimeSpan.FromMilliseconds(1);
            options.EraseLeaseWait = TimeSpan.FromSeconds(2);
            configure?.Invoke(options);
        });
        var provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new StorageHarness(provider, prefix, queueName, connectionString, logs);
    }

    /// <summary>A raw table client on this harness's account, bypassing the adapter (and its counter).</summary>
    public TableServiceClient RawTables() => new(ConnectionString);

    /// <summary>A raw queue client with the adapter's base64 message encoding.</summary>
    public QueueClient RawQueue(string? name = null) =>
        new(ConnectionString, name ?? QueueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });

    /// <summary>Every row of every table of this harness, as (logical table, entity).</summary>
    public async Task<List<(string Table, TableEntity Row)>> ScanAllAsync(CancellationToken cancellationToken)
    {
        var rows = new List<(string, TableEntity)>();
        var service = RawTables();
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(Prefix) >= 0, cancellationToken: cancellationToken))
        {
            if (!table.Name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }

            await foreach (var row in service.GetTableClient(table.Name).QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                rows.Add((table.Name[Prefix.Length..], row));
            }
        }

        return rows;
    }

    /// <summary>Disposes the services, then fails the test if any log line quoted an address or a delta link.</summary>
    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        var leak = Logs.Lines.FirstOrDefault(l => l.Contains('@', StringComparison.Ordinal) || l.Contains("delta/", StringComparison.Ordinal) || l.Contains("Secret subject", StringComparison.Ordinal));
        if (leak is not null)
        {
            throw new InvalidOperationException("A log line leaked private data: " + leak);
        }
    }
}

/// <summary>Collects every formatted log line, to check that nothing private is logged.</summary>
internal sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category} [{eventId.Id}] {formatter(state, exception)} {exception?.Message}");
    }
}
