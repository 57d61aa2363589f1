using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Specialized;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Ports;

namespace TiesOffice.Infrastructure.Storage;

/// <summary>Registers the Table and Queue storage adapters.</summary>
public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers every storage port (<see cref="IUserDirectory"/>, <see cref="ISettingsStore"/>,
    /// <see cref="ISyncStateStore"/>, <see cref="IMailboxStore"/>, <see cref="ITieStore"/>,
    /// <see cref="IEngineStateStore"/>, <see cref="INudgeStore"/>, <see cref="IDigestClaimStore"/>, <see cref="IConversationReferenceStore"/>, <see cref="ITeamsUserIndex"/>,
    /// <see cref="IJobQueue"/>, <see cref="IJobProcessor"/>, <see cref="IUserLease"/>, <see cref="ISubscriptionStore"/>,
    /// <see cref="IPrivacyOperations"/>),
    /// the SDK clients as singletons (exponential retry on 500/503/408/429) and <see cref="StorageRequestCounter"/>,
    /// with <see cref="StorageOptions"/> bound from <paramref name="configuration"/> (a <c>Storage</c> section) and
    /// then <paramref name="configure"/>, validated at start.
    /// </summary>
    public static IServiceCollection AddTiesOfficeStorage(this IServiceCollection services, IConfiguration configuration, Action<StorageOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services.AddTiesOfficeStorage(options =>
        {
            configuration.Bind(options);
            configure?.Invoke(options);
        });
    }

    /// <summary>Registers every storage port, configured in code (see the other overload).</summary>
    public static IServiceCollection AddTiesOfficeStorage(this IServiceCollection services, Action<StorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        // Checked now, while the host is being composed, and again at start: a bad setting stops the host before it is
        // built, with the same message, rather than from inside a host that is starting (which a caller waiting on the
        // started host may meet already disposed).
        var check = new StorageOptions();
        configure(check);
        if (new StorageOptionsValidator().Validate(null, check) is { Failed: true } result)
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions), result.Failures);
        }

        services.AddOptions<StorageOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageRequestCounter>();

        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = new TableClientOptions();
            Configure(clientOptions, options, provider.GetRequiredService<StorageRequestCounter>(), "table");
            return options.ConnectionString is { Length: > 0 } connection
                ? new TableServiceClient(connection, clientOptions)
                : new TableServiceClient(options.TableServiceUri!, options.Credential!, clientOptions);
        });
        services.TryAddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<StorageOptions>>().Value;
            var clientOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            clientOptions.MessageDecodingFailed += PoisonUndecodableAsync;
            Configure(clientOptions, options, provider.GetRequiredService<StorageRequestCounter>(), "queue");
            return options.ConnectionString is { Length: > 0 } connection
                ? new QueueServiceClient(connection, clientOptions)
                : new QueueServiceClient(options.QueueServiceUri!, options.Credential!, clientOptions);
        });

        services.TryAddSingleton<StorageTables>();
        services.TryAddSingleton<ContactKeys>();
        services.TryAddSingleton<StorageQueues>();
        services.TryAddSingleton<IUserDirectory, TableUserDirectory>();
        services.TryAddSingleton<ISettingsStore, TableSettingsStore>();
        services.TryAddSingleton<ISyncStateStore, TableSyncStateStore>();
        // Registered as itself too: retention needs its age query, and a host may decorate IMailboxStore.
        services.TryAddSingleton<TableMailboxStore>();
        services.TryAddSingleton<IMailboxStore>(provider => provider.GetRequiredService<TableMailboxStore>());
        services.TryAddSingleton<ITieStore, TableTieStore>();
        services.TryAddSingleton<IEngineStateStore, TableEngineStateStore>();
        services.TryAddSingleton<ITierHistoryStore, TableTierHistoryStore>();
        services.TryAddSingleton<ITieIds, KeyedTieIds>();
        services.TryAddSingleton<INudgeStore, TableNudgeStore>();
        services.TryAddSingleton<IDigestClaimStore, TableDigestClaimStore>();
        services.TryAddSingleton<TableConversationReferenceStore>();
        services.TryAddSingleton<IConversationReferenceStore>(provider => provider.GetRequiredService<TableConversationReferenceStore>());
        services.TryAddSingleton<ITeamsUserIndex>(provider => provider.GetRequiredService<TableConversationReferenceStore>());
        services.TryAddSingleton<IUserLease, TableUserLease>();
        services.TryAddSingleton<ISubscriptionStore, TableSubscriptionStore>();
        services.TryAddSingleton<QueueJobQueue>();
        services.TryAddSingleton<IJobQueue>(provider => provider.GetRequiredService<QueueJobQueue>());
        services.TryAddSingleton<IJobProcessor>(provider => provider.GetRequiredService<QueueJobQueue>());
        services.TryAddSingleton<IPrivacyOperations, TablePrivacyOperations>();
        services.TryAddSingleton(provider => new StorageProvisioner(provider.GetRequiredService<StorageTables>(), provider.GetRequiredService<StorageQueues>()));
        return services;
    }

    private static void Configure(Azure.Core.ClientOptions clientOptions, StorageOptions options, StorageRequestCounter counter, string service)
    {
        clientOptions.Retry.Mode = RetryMode.Exponential;
        clientOptions.Retry.MaxRetries = options.MaxRetries;
        clientOptions.Retry.Delay = options.RetryDelay;
        clientOptions.Retry.MaxDelay = options.MaxRetryDelay;
        clientOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        clientOptions.AddPolicy(new CountingPolicy(counter, service, options.TablePrefix), HttpPipelinePosition.PerRetry);
    }

    /// <summary>A message that is not valid base64 can never be read: move it to the poison queue as it is.</summary>
    private static async Task PoisonUndecodableAsync(QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return;
        }

        var poison = args.Queue.GetParentQueueServiceClient().GetQueueClient(args.Queue.Name + "-poison");
        await poison.CreateIfNotExistsAsync(cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await poison.SendMessageAsync(Convert.ToBase64String(message.Body.ToArray()), cancellationToken: args.CancellationToken).ConfigureAwait(false);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, args.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Creates every table and queue up front (tables are otherwise created on first use); hosts call it at start.</summary>
public sealed class StorageProvisioner
{
    private readonly StorageTables _tables;
    private readonly StorageQueues _queues;

    internal StorageProvisioner(StorageTables tables, StorageQueues queues)
    {
        _tables = tables;
        _queues = queues;
    }

    /// <summary>Creates what is missing; safe to call from several hosts at once.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in TableNames.All)
        {
            await _tables.GetAsync(name, cancellationToken).ConfigureAwait(false);
        }

        await _queues.JobsAsync(cancellationToken).ConfigureAwait(false);
        await _queues.PoisonAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The physical table names (prefix plus logical name), for diagnostics and tests.</summary>
    public IReadOnlyList<string> PhysicalTableNames => TableNames.All.Select(_tables.PhysicalName).ToList();
}
