using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace TiesOffice.EndToEnd.Tests;

public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("Graph:BaseUrl", "not-a-url", "Graph:BaseUrl")]
    [InlineData("Graph:DevelopmentToken", "true", "Graph:DevelopmentToken")]
    [InlineData("Storage:ConnectionString", "", "Storage:ConnectionString")]
    [InlineData("Storage:QueueName", "Bad_Queue", "Storage:QueueName")]
    public void DevHost_WithABadSetting_RefusesToStartAndNamesIt(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            // A valid baseline, so only the setting under test is wrong.
            ["Graph:BaseUrl"] = "https://graph.microsoft.com/v1.0",
            ["Storage:ConnectionString"] = "UseDevelopmentStorage=true",
            ["Storage:ContactKeySecret"] = "configuration-test",
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
}
