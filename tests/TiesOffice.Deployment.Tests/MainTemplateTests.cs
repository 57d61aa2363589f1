using System.Text.Json;

namespace TiesOffice.Deployment.Tests;

/// <summary>
/// infra/main.bicep as the Bicep CLI compiles it: the build and the linter are clean, and the ARM JSON holds
/// the resources, settings and outputs docs/Deploy.md promises, the code reads and scripts/package.sh uses.
/// </summary>
public sealed class MainTemplateTests(CompiledTemplate template) : IClassFixture<CompiledTemplate>
{
    [Fact]
    public void Build_MainTemplate_SucceedsWithoutDiagnostics()
    {
        Assert.Equal(0, template.Exit);
        Assert.Equal("", template.Errors.Trim());
    }

    [Fact]
    public async Task Lint_MainTemplate_ReportsNothing()
    {
        var (exit, stdout, stderr) = await BicepCli.RunAsync("lint", BicepCli.MainTemplate);

        Assert.Equal(0, exit);
        Assert.Equal("", stderr.Trim());
        Assert.DoesNotContain("Warning", stdout, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Error", stdout, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Storage_Account_IsIdentityOnlyHttpsAndPrivate()
    {
        var account = Assert.Single(template.OfType("Microsoft.Storage/storageAccounts"));
        var properties = account.GetProperty("properties");

        Assert.Equal("StorageV2", account.GetProperty("kind").GetString());
        Assert.False(properties.GetProperty("allowSharedKeyAccess").GetBoolean());
        Assert.False(properties.GetProperty("allowBlobPublicAccess").GetBoolean());
        Assert.True(properties.GetProperty("supportsHttpsTrafficOnly").GetBoolean());
        Assert.Equal("TLS1_2", properties.GetProperty("minimumTlsVersion").GetString());
    }

    [Fact]
    public void Storage_Services_HaveTablesQueuesAndThePackageContainer()
    {
        Assert.Single(template.OfType("Microsoft.Storage/storageAccounts/tableServices"));
        Assert.Single(template.OfType("Microsoft.Storage/storageAccounts/queueServices"));
        Assert.Single(template.OfType("Microsoft.Storage/storageAccounts/blobServices/containers"));
        Assert.Equal(2, template.OfType("Microsoft.Storage/storageAccounts/queueServices/queues").Count);
    }

    [Fact]
    public void Queues_DefaultNames_AreTheSyncQueueAndItsPoisonQueue()
    {
        var queueName = DefaultValue("queueName");
        var queues = template.OfType("Microsoft.Storage/storageAccounts/queueServices/queues")
            .Select(q => q.GetProperty("name").GetString() ?? "")
            .ToList();

        Assert.Equal("sync-jobs", queueName);
        // Names compile to expressions such as "[format('{0}/{1}/{2}', ..., parameters('queueName'))]".
        Assert.Contains(queues, n => n.Contains("parameters('queueName')", StringComparison.Ordinal) && !n.Contains("poison", StringComparison.Ordinal));
        Assert.Contains(queues, n => n.Contains("poisonQueueName", StringComparison.Ordinal));
        Assert.Equal("[format('{0}-poison', parameters('queueName'))]", template.Root.GetProperty("variables").GetProperty("poisonQueueName").GetString());
    }

    [Fact]
    public void RoleAssignments_Identity_GetsTableQueueAndBlobDataRoles()
    {
        var assignments = template.OfType("Microsoft.Authorization/roleAssignments");
        var roles = template.Root.GetProperty("variables").GetProperty("roleDefinitionIds");

        Assert.Equal(3, assignments.Count);
        Assert.Equal("0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", roles.GetProperty("storageTableDataContributor").GetString());
        Assert.Equal("974c5e8b-45b9-4653-ba55-5f855dd0fb88", roles.GetProperty("storageQueueDataContributor").GetString());
        Assert.Equal("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", roles.GetProperty("storageBlobDataOwner").GetString());
        foreach (var assignment in assignments)
        {
            var properties = assignment.GetProperty("properties");
            Assert.Equal("ServicePrincipal", properties.GetProperty("principalType").GetString());
            Assert.Contains("userAssignedIdentities", properties.GetProperty("principalId").GetString(), StringComparison.Ordinal);
        }

        var granted = assignments.Select(a => a.GetProperty("properties").GetProperty("roleDefinitionId").GetString()).ToList();
        foreach (var role in new[] { "storageTableDataContributor", "storageQueueDataContributor", "storageBlobDataOwner" })
        {
            Assert.Contains(granted, id => id!.Contains($"variables('roleDefinitionIds').{role}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Monitoring_AppInsights_IsWorkspaceBased()
    {
        Assert.Single(template.OfType("Microsoft.ManagedIdentity/userAssignedIdentities"));
        Assert.Single(template.OfType("Microsoft.OperationalInsights/workspaces"));
        var insights = Assert.Single(template.OfType("Microsoft.Insights/components"));
        Assert.True(insights.GetProperty("properties").TryGetProperty("WorkspaceResourceId", out _));
    }

    [Fact]
    public void FunctionApp_Plan_IsFlexConsumptionOnLinux()
    {
        var plan = Assert.Single(template.OfType("Microsoft.Web/serverfarms"));

        Assert.Equal("FC1", plan.GetProperty("sku").GetProperty("name").GetString());
        Assert.Equal("FlexConsumption", plan.GetProperty("sku").GetProperty("tier").GetString());
        Assert.True(plan.GetProperty("properties").GetProperty("reserved").GetBoolean());
    }

    [Fact]
    public void FunctionApp_Site_IsHardenedDotnetIsolatedWithTheUserAssignedIdentity()
    {
        var site = Assert.Single(template.OfType("Microsoft.Web/sites"));
        var properties = site.GetProperty("properties");
        var siteConfig = properties.GetProperty("siteConfig");
        var config = properties.GetProperty("functionAppConfig");
        var storage = config.GetProperty("deployment").GetProperty("storage");

        Assert.Contains("functionapp", site.GetProperty("kind").GetString(), StringComparison.Ordinal);
        Assert.Contains("linux", site.GetProperty("kind").GetString(), StringComparison.Ordinal);
        Assert.Equal("UserAssigned", site.GetProperty("identity").GetProperty("type").GetString());
        Assert.True(properties.GetProperty("httpsOnly").GetBoolean());
        Assert.Equal("1.2", siteConfig.GetProperty("minTlsVersion").GetString());
        Assert.Equal("Disabled", siteConfig.GetProperty("ftpsState").GetString());
        Assert.Equal("blobContainer", storage.GetProperty("type").GetString());
        Assert.Equal("UserAssignedIdentity", storage.GetProperty("authentication").GetProperty("type").GetString());
        Assert.Equal("dotnet-isolated", config.GetProperty("runtime").GetProperty("name").GetString());
        Assert.Equal("10.0", DefaultValue("dotnetVersion"));
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("maximumInstanceCount", out _));
        Assert.True(config.GetProperty("scaleAndConcurrency").TryGetProperty("instanceMemoryMB", out _));
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName")]
    [InlineData("AzureWebJobsStorage__credential")]
    [InlineData("AzureWebJobsStorage__clientId")]
    [InlineData("Storage__queueServiceUri")]
    [InlineData("Storage__credential")]
    [InlineData("Storage__clientId")]
    [InlineData("Storage__TableServiceUri")]
    [InlineData("Storage__QueueName")]
    [InlineData("Storage__ContactKeySecret")]
    [InlineData("Privacy__LogPseudonymKey")]
    [InlineData("Graph__Credential")]
    [InlineData("Graph__ClientId")]
    [InlineData("SyncSchedule__Cron")]
    [InlineData("ChangeNotifications__NotificationUrl")]
    [InlineData("ChangeNotifications__LifecycleNotificationUrl")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("AzureAd__Instance")]
    [InlineData("AzureAd__TenantId")]
    [InlineData("AzureAd__ClientId")]
    [InlineData("AzureAd__Audience")]
    [InlineData("Bot__AppId")]
    [InlineData("Bot__Credential")]
    [InlineData("Bot__TenantId")]
    [InlineData("Bot__Channels")]
    [InlineData("Bot__TeamsAppId")]
    [InlineData("ActionableMessages__Enabled")]
    [InlineData("ActionableMessages__OriginatorId")]
    [InlineData("ActionableMessages__SenderMailbox")]
    [InlineData("ActionableMessages__TenantId")]
    public void AppSettings_SettingTheCodeReads_IsPresent(string name)
    {
        Assert.Contains(name, AppSettingNames());
    }

    [Fact]
    public void AppSettings_Values_ComeFromTheIdentityStorageAndParameters()
    {
        Assert.Equal("managedidentity", AppSettingValue("AzureWebJobsStorage__credential"));
        Assert.Equal("managedidentity", AppSettingValue("Storage__credential"));
        Assert.Equal("ManagedIdentity", AppSettingValue("Graph__Credential"));
        Assert.Contains("userAssignedIdentities", AppSettingValue("Graph__ClientId"), StringComparison.Ordinal);
        Assert.Contains("userAssignedIdentities", AppSettingValue("Storage__clientId"), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.queue", AppSettingValue("Storage__queueServiceUri"), StringComparison.Ordinal);
        Assert.Contains("primaryEndpoints.table", AppSettingValue("Storage__TableServiceUri"), StringComparison.Ordinal);
        Assert.Equal("[parameters('queueName')]", AppSettingValue("Storage__QueueName"));
        Assert.Equal("[parameters('contactKeySecret')]", AppSettingValue("Storage__ContactKeySecret"));
        Assert.Equal("[parameters('logPseudonymKey')]", AppSettingValue("Privacy__LogPseudonymKey"));
        Assert.Equal("[parameters('syncScheduleCron')]", AppSettingValue("SyncSchedule__Cron"));
        Assert.Equal("0 */15 * * * *", DefaultValue("syncScheduleCron"));
    }

    [Fact]
    public void AppSettings_Names_AreUniqueIgnoringCase()
    {
        // .NET configuration keys are case-insensitive: two settings differing only in case would race.
        var names = AppSettingNames();

        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void AppSettings_WorkerRuntimeSettings_AreAbsentOnFlexConsumption()
    {
        var names = AppSettingNames();

        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", names);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", names);
        Assert.DoesNotContain(names, n => n.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase) && n.StartsWith("Storage", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("contactKeySecret")]
    [InlineData("logPseudonymKey")]
    public void Secrets_SecureParameter_HasNoDefaultAndIsNeverOutput(string name)
    {
        var parameter = template.Root.GetProperty("parameters").GetProperty(name);

        Assert.Equal("securestring", parameter.GetProperty("type").GetString());
        Assert.False(parameter.TryGetProperty("defaultValue", out _));
        Assert.Equal(16, parameter.GetProperty("minLength").GetInt32());
        foreach (var output in template.Root.GetProperty("outputs").EnumerateObject())
        {
            Assert.DoesNotContain(name, output.Value.GetRawText(), StringComparison.Ordinal);
            Assert.NotEqual("securestring", output.Value.GetProperty("type").GetString());
        }
    }

    [Fact]
    public void Outputs_Template_NamesTheAppStorageAndIdentity()
    {
        var outputs = template.Root.GetProperty("outputs");

        foreach (var name in new[] { "functionAppName", "functionAppHostName", "storageAccountName", "identityClientId" })
        {
            Assert.True(outputs.TryGetProperty(name, out _), name);
        }
    }

    [Fact]
    public void Bot_Service_IsAManagedIdentityBotWhoseEndpointIsOnTheFunctionApp()
    {
        var bot = Assert.Single(template.OfType("Microsoft.BotService/botServices"));
        var properties = bot.GetProperty("properties");

        Assert.Equal("azurebot", bot.GetProperty("kind").GetString());
        // New multi-tenant bots can no longer be created: the bot is the user-assigned identity.
        Assert.Equal("UserAssignedMSI", properties.GetProperty("msaAppType").GetString());
        Assert.Contains("userAssignedIdentities", properties.GetProperty("msaAppId").GetString(), StringComparison.Ordinal);
        Assert.Contains(".clientId", properties.GetProperty("msaAppId").GetString(), StringComparison.Ordinal);
        Assert.Contains("userAssignedIdentities", properties.GetProperty("msaAppMSIResourceId").GetString(), StringComparison.Ordinal);
        Assert.Contains(".tenantId", properties.GetProperty("msaAppTenantId").GetString(), StringComparison.Ordinal);
        Assert.True(properties.GetProperty("disableLocalAuth").GetBoolean());
        Assert.Equal(
            "[format('https://{0}/api/messages', reference(resourceId('Microsoft.Web/sites', variables('functionAppName')), '2024-04-01').defaultHostName)]",
            properties.GetProperty("endpoint").GetString());
        Assert.Equal("global", DefaultValue("botLocation"));
        Assert.Equal("F0", DefaultValue("botSku"));
    }

    [Fact]
    public void Bot_Channels_AreTeamsAndOutlookOnly()
    {
        var channels = template.OfType("Microsoft.BotService/botServices/channels");

        Assert.Equal(
            ["MsTeamsChannel", "OutlookChannel"],
            channels.Select(c => c.GetProperty("properties").GetProperty("channelName").GetString()).Order(StringComparer.Ordinal));
        foreach (var channel in channels)
        {
            var channelName = channel.GetProperty("properties").GetProperty("channelName").GetString();
            Assert.EndsWith($"'{channelName}')]", channel.GetProperty("name").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AppSettings_SignIn_NamesTheAppRegistrationAndTheCloudsLoginEndpoint()
    {
        var clientId = template.Root.GetProperty("parameters").GetProperty("entraClientId");

        Assert.False(clientId.TryGetProperty("defaultValue", out _));
        Assert.Equal(36, clientId.GetProperty("minLength").GetInt32());
        Assert.Equal("[parameters('entraClientId')]", AppSettingValue("AzureAd__ClientId"));
        Assert.Equal("[parameters('entraClientId')]", AppSettingValue("AzureAd__Audience"));
        Assert.Equal("[parameters('entraTenantId')]", AppSettingValue("AzureAd__TenantId"));
        Assert.Equal("[tenant().tenantId]", DefaultValue("entraTenantId"));
        // From the deployment's cloud, not a hard-coded public-cloud URL.
        Assert.Equal("[environment().authentication.loginEndpoint]", AppSettingValue("AzureAd__Instance"));
    }

    [Fact]
    public void AppSettings_Bot_IsTheIdentityWithoutASecret()
    {
        Assert.Contains("userAssignedIdentities", AppSettingValue("Bot__AppId"), StringComparison.Ordinal);
        Assert.Contains(".clientId", AppSettingValue("Bot__AppId"), StringComparison.Ordinal);
        Assert.Equal("ManagedIdentity", AppSettingValue("Bot__Credential"));
        Assert.Contains(".tenantId", AppSettingValue("Bot__TenantId"), StringComparison.Ordinal);
        // The Teams app id the bot's deep links use defaults to the client id, as the packaging command's app id does.
        Assert.Equal("[variables('effectiveTeamsAppId')]", AppSettingValue("Bot__TeamsAppId"));
        Assert.Equal(
            "[if(empty(parameters('teamsAppId')), parameters('entraClientId'), parameters('teamsAppId'))]",
            template.Root.GetProperty("variables").GetProperty("effectiveTeamsAppId").GetString());
        Assert.DoesNotContain(AppSettingNames(), n => n.StartsWith("Bot__", StringComparison.Ordinal) && (n.Contains("Secret", StringComparison.OrdinalIgnoreCase) || n.Contains("Password", StringComparison.OrdinalIgnoreCase)));
    }

    [Fact]
    public void AppSettings_ActionableMessages_AreOffUntilTheOriginatorAndTheMailboxAreBothGiven()
    {
        Assert.Equal("", DefaultValue("actionableMessagesOriginatorId"));
        Assert.Equal("", DefaultValue("actionableMessagesSenderMailbox"));
        Assert.Equal("[if(variables('actionableMessagesEnabled'), 'true', 'false')]", AppSettingValue("ActionableMessages__Enabled"));
        Assert.Equal(
            "[and(not(empty(parameters('actionableMessagesOriginatorId'))), not(empty(parameters('actionableMessagesSenderMailbox'))))]",
            template.Root.GetProperty("variables").GetProperty("actionableMessagesEnabled").GetString());
        Assert.Equal("[parameters('actionableMessagesOriginatorId')]", AppSettingValue("ActionableMessages__OriginatorId"));
        Assert.Equal("[parameters('actionableMessagesSenderMailbox')]", AppSettingValue("ActionableMessages__SenderMailbox"));
        Assert.Equal("[parameters('entraTenantId')]", AppSettingValue("ActionableMessages__TenantId"));
        // The bot accepts activities from Outlook only while actionable messages are on.
        Assert.Equal("[if(variables('actionableMessagesEnabled'), 'msteams;outlook', 'msteams')]", AppSettingValue("Bot__Channels"));
    }

    [Theory]
    [InlineData("appDomain", "defaultHostName")]
    [InlineData("tabUrl", "/tab/")]
    [InlineData("paneUrl", "/pane/")]
    [InlineData("botEndpoint", "endpoint")]
    [InlineData("botAppId", "msaAppId")]
    [InlineData("botName", "botName")]
    [InlineData("entraClientId", "entraClientId")]
    [InlineData("teamsAppId", "effectiveTeamsAppId")]
    [InlineData("appIdUri", "api://{0}/{1}")]
    [InlineData("nestedAppAuthRedirectUri", "brk-multihub://{0}")]
    [InlineData("actionableMessagesEnabled", "actionableMessagesEnabled")]
    public void Outputs_DeployAndPackaging_GetTheDomainUrlsAndIds(string name, string expressionPart)
    {
        var output = template.Root.GetProperty("outputs").GetProperty(name);

        Assert.Contains(expressionPart, output.GetProperty("value").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Secrets_NoOutput_CarriesAKeyOrConnectionString()
    {
        foreach (var output in template.Root.GetProperty("outputs").EnumerateObject())
        {
            var value = output.Value.GetProperty("value").GetRawText();
            Assert.DoesNotContain("ConnectionString", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("InstrumentationKey", value, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("listKeys", value, StringComparison.OrdinalIgnoreCase);
        }
    }

    private string? DefaultValue(string parameter) =>
        template.Root.GetProperty("parameters").GetProperty(parameter).GetProperty("defaultValue").GetString();

    private IReadOnlyList<JsonElement> AppSettings()
    {
        var site = Assert.Single(template.OfType("Microsoft.Web/sites"));
        var settings = site.GetProperty("properties").GetProperty("siteConfig").GetProperty("appSettings");
        Assert.Equal(JsonValueKind.Array, settings.ValueKind);
        return [.. settings.EnumerateArray()];
    }

    private List<string> AppSettingNames() => [.. AppSettings().Select(e => e.GetProperty("name").GetString()!)];

    private string? AppSettingValue(string name) =>
        AppSettings().Single(e => e.GetProperty("name").GetString() == name).GetProperty("value").GetString();
}
