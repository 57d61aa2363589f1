using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Azure.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Web;

namespace TiesOffice.EndToEnd.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Graph:BaseUrl", "not-a-url", "Graph:BaseUrl")]
    [InlineData("Graph:DevelopmentToken", "true", "Graph:DevelopmentToken")]
    [InlineData("Storage:ConnectionString", "", "Storage:ConnectionString")]
    [InlineData("Storage:QueueName", "Bad_Queue", "Storage:QueueName")]
    [InlineData("Bot:AppId", "", "Bot:AppId")]
    [InlineData("Bot:OpenIdMetadataUrl", "http://login.botframework.com/v1/.well-known/openidconfiguration", "Bot:OpenIdMetadataUrl")]
    [InlineData("Bot:Credential", "ClientSecret", "Bot:ClientSecret")]
    [InlineData("ActionableMessages:Enabled", "true", "ActionableMessages:OriginatorId")]
    [InlineData("ActionableMessages:Enabled", "yes", "ActionableMessages")]
    public void DevHost_WithABadSetting_RefusesToStartAndNamesIt(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            // A valid baseline, so only the setting under test is wrong.
            ["Graph:BaseUrl"] = "https://graph.microsoft.com/v1.0",
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Storage:ContactKeySecret"] = "configuration-test",
            ["Bot:AppId"] = "00000000-0000-0000-0000-00000000b07a",
            [key] = value,
        };
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Development");
            foreach (var (k, v) in settings)
            {
                web.UseSetting(k, v);
            }
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTiesOffice_IdentityBasedStorageSettings_UseTheNamedManagedIdentity()
    {
        // The settings infra/main.bicep gives the Function App: service URIs and a user-assigned identity, no key.
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["Graph:BaseUrl"] = "https://graph.microsoft.com/v1.0";
        builder.Configuration["Storage:TableServiceUri"] = "https://acct.table.core.windows.net";
        builder.Configuration["Storage:queueServiceUri"] = "https://acct.queue.core.windows.net";
        builder.Configuration["Storage:clientId"] = "00000000-0000-0000-0000-000000000001";
        builder.Configuration["Storage:ContactKeySecret"] = "identity-test";
        builder.Configuration["Bot:AppId"] = "00000000-0000-0000-0000-00000000b07a";
        builder.AddTiesOffice();
        using var app = builder.Build();

        var options = app.Services.GetRequiredService<IOptions<StorageOptions>>().Value;

        Assert.IsType<ManagedIdentityCredential>(options.Credential);
        Assert.Equal(new Uri("https://acct.queue.core.windows.net"), options.QueueServiceUri);
    }
}
