using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TiesOffice.Application.Ports;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Testing.Azurite;

namespace TiesOffice.Storage.Tests;

public sealed class OptionsTests(AzuriteFixture azurite)
{
    [Theory]
    [InlineData("ConnectionString", "", "Storage:ConnectionString")]
    [InlineData("ConnectionString", "not a connection string", "Storage:ConnectionString")]
    [InlineData("TablePrefix", "1bad-prefix", "Storage:TablePrefix")]
    [InlineData("QueueName", "Bad_Queue", "Storage:QueueName")]
    [InlineData("LeaseDuration", "00:00:00", "Storage:LeaseDuration")]
    [InlineData("MaxDequeueCount", "0", "Storage:MaxDequeueCount")]
    [InlineData("RetentionPeriod", "-1.00:00:00", "Storage:RetentionPeriod")]
    public void AddTiesOfficeStorage_BadSetting_FailsBeforeTheHostIsBuiltAndNamesIt(string key, string value, string expected)
    {
        var settings = new Dictionary<string, string?> { ["ConnectionString"] = azurite.ConnectionString, [key] = value };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        var error = Assert.Throws<OptionsValidationException>(() => new ServiceCollection().AddLogging().AddTiesOfficeStorage(configuration));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTiesOfficeStorage_FromConfiguration_ResolvesEveryPortAsSingleton()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionString"] = azurite.ConnectionString,
            ["TablePrefix"] = "cfg",
            ["LeaseDuration"] = "00:02:00",
        }).Build();
        using var provider = new ServiceCollection().AddLogging().AddTiesOfficeStorage(configuration).BuildServiceProvider(validateScopes: true);

        Type[] ports =
        [
            typeof(IUserDirectory), typeof(ISettingsStore), typeof(ISyncStateStore), typeof(IMailboxStore), typeof(ITieStore),
            typeof(IEngineStateStore), typeof(INudgeStore), typeof(IConversationReferenceStore), typeof(IJobQueue),
            typeof(IJobProcessor), typeof(IUserLease), typeof(ISubscriptionStore), typeof(IPrivacyOperations), typeof(StorageRequestCounter), typeof(StorageProvisioner),
        ];

        Assert.All(ports, p => Assert.Same(provider.GetRequiredService(p), provider.GetRequiredService(p)));
        Assert.Equal(TimeSpan.FromMinutes(2), provider.GetRequiredService<IOptions<StorageOptions>>().Value.LeaseDuration);
        Assert.Same(provider.GetRequiredService<IJobQueue>(), provider.GetRequiredService<IJobProcessor>());
    }

    [Fact]
    public void Validate_ServiceUrisWithCredential_Accepted()
    {
        using var provider = new ServiceCollection().AddLogging().AddTiesOfficeStorage(o =>
        {
            o.TableServiceUri = new Uri("https://account.table.core.windows.net");
            o.QueueServiceUri = new Uri("https://account.queue.core.windows.net");
            o.Credential = new NoCredential();
        }).BuildServiceProvider();

        Assert.NotNull(provider.GetRequiredService<IOptions<StorageOptions>>().Value.Credential);
        Assert.NotNull(provider.GetRequiredService<Azure.Data.Tables.TableServiceClient>());
    }

    private sealed class NoCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => default;

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => default;
    }
}
