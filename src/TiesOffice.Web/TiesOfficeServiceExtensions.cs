using System.ComponentModel.DataAnnotations;
using System.Net;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using TiesOffice.Application;
using TiesOffice.Application.Jobs;
using TiesOffice.Application.Network;
using TiesOffice.Application.Proactive;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Scoring;
using TiesOffice.Application.Sync;
using TiesOffice.Infrastructure.Bot;
using TiesOffice.Infrastructure.Bot.Outlook;
using TiesOffice.Infrastructure.Graph;
using TiesOffice.Infrastructure.Storage;
using TiesOffice.Web.Auth;

namespace TiesOffice.Web;

/// <summary>
/// The one composition root. Both hosts (the Azure Functions app and the DevHost) call
/// <see cref="AddTiesOffice"/>, so they run the same handlers over the same adapters.
/// </summary>
public static class TiesOfficeServiceExtensions
{
    /// <summary>
    /// Registers everything TiesOffice needs from configuration: the Graph adapter (<c>Graph:*</c>), the storage adapter
    /// (<c>Storage:*</c>), and the use cases: the sync (<c>Sync:*</c>), optional change notifications
    /// (<c>ChangeNotifications:*</c>), the scoring, the per-user job, the Teams bot
    /// (<c>Bot:*</c>; <c>Bot:AppId</c> is required) with the digest's Outlook channel (<c>ActionableMessages:*</c>, off by
    /// default), and the proactive sends after each sync (<c>Proactive:*</c>). The adapters register only their own types; the
    /// use cases are registered here, once. Every setting is validated when the host starts; a bad one stops it with a
    /// message that names the setting. <c>Privacy:LogPseudonymKey</c> keys the users' pseudonyms in logs
    /// (<see cref="UserPseudonym"/>).
    /// </summary>
    /// <param name="builder">The host builder (a <c>WebApplicationBuilder</c> or a <c>FunctionsApplicationBuilder</c>).</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddTiesOffice(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddProblemDetails();

        var graph = Bind<GraphOptions>(configuration, GraphOptions.SectionName);
        Validate(graph.Validate);
        if (!graph.BaseUrl.IsAbsoluteUri || graph.BaseUrl.Scheme is not ("https" or "http"))
        {
            throw new OptionsValidationException("Graph", typeof(GraphOptions), ["Graph:BaseUrl must be an absolute http(s) URL such as https://graph.microsoft.com/v1.0."]);
        }

        UsePseudonymKey(configuration);
        services.AddTiesOfficeGraph(graph, DevelopmentCredential(configuration, graph));
        services.AddOptions<MailboxSyncOptions>().BindConfiguration("Sync").ValidateOnStart();
        services.AddSingleton<IValidateOptions<MailboxSyncOptions>, DelegateValidation<MailboxSyncOptions>>(
            _ => new DelegateValidation<MailboxSyncOptions>(o => o.Validate()));

        services.AddTiesOfficeStorage(configuration.GetSection("Storage"), storage => storage.Credential ??= StorageCredential(configuration));
        DecorateMailboxStore(services);

        services.AddOptions<SyncScheduleOptions>().BindConfiguration(SyncScheduleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ISyncWorkSink, QueuedSyncWork>();
        services.AddSingleton<MailboxSync>();
        services.AddSingleton<TenantSync>();
        services.AddSingleton<ChangeNotificationHandler>();
        services.AddSingleton<SubscriptionManager>();
        services.AddSingleton<TieScoring>();

        services.AddOptions<ChangeNotificationOptions>();
        var notifications = configuration.GetSection("ChangeNotifications");
        var notificationsOn = notifications.Exists() && !string.IsNullOrEmpty(notifications["NotificationUrl"]);
        if (notificationsOn)
        {
            services.AddOptions<ChangeNotificationOptions>().Bind(notifications).ValidateOnStart();
            services.AddSingleton<IValidateOptions<ChangeNotificationOptions>, DelegateValidation<ChangeNotificationOptions>>(
                _ => new DelegateValidation<ChangeNotificationOptions>(o => o.Validate()));
        }

        services.AddSingleton(sp => new UserSyncHandler(
            sp.GetRequiredService<IUserDirectory>(),
            sp.GetRequiredService<ISyncStateStore>(),
            sp.GetRequiredService<MailboxSync>(),
            sp.GetRequiredService<MailboxChangeTracker>(),
            sp.GetRequiredService<TieScoring>(),
            sp.GetRequiredService<ILogger<UserSyncHandler>>(),
            notificationsOn ? sp.GetRequiredService<SubscriptionManager>() : null,
            sp.GetRequiredService<ProactiveSends>()));
        services.AddSingleton<SyncJobs>();

        // The tab API: sign-in and the use cases of one person's network (shared with the bot and the Outlook pane).
        var azureAd = Bind<AzureAdOptions>(configuration, AzureAdOptions.SectionName);
        if (azureAd.Problems() is { Count: > 0 } adProblems)
        {
            throw new OptionsValidationException(AzureAdOptions.SectionName, typeof(AzureAdOptions), adProblems);
        }

        services.AddTabAuthentication();
        services.AddSingleton<NetworkViews>();
        services.AddSingleton<NetworkService>();

        // The bot: no anonymous mode, so a missing Bot:AppId stops the host here.
        var bot = Bind<BotOptions>(configuration, BotOptions.SectionName);
        try
        {
            bot.Validate();
        }
        catch (ValidationException ex)
        {
            throw new OptionsValidationException(BotOptions.SectionName, typeof(BotOptions), [ex.Message]);
        }

        // Outlook actionable messages (off by default): validated here, so a bad value stops the host with its name.
        var actionable = Bind<ActionableMessagesOptions>(configuration, ActionableMessagesOptions.SectionName);
        try
        {
            actionable.Validate(bot.ChannelSet);
        }
        catch (ValidationException ex)
        {
            throw new OptionsValidationException(ActionableMessagesOptions.SectionName, typeof(ActionableMessagesOptions), [ex.Message]);
        }

        services.AddTiesOfficeBot(bot, actionable);

        // The digest's service mailbox is left out of every user's network (its mail lands in every inbox).
        services.AddSingleton(new ServiceAddresses([actionable.SenderMailbox]));

        // The proactive step (weekly digest and reminders) after each sync; the digest channels are every registered
        // IDigestChannel (the bot's Teams channel, tried first, then Outlook's), the reminders go to Teams.
        var proactive = Bind<ProactiveOptions>(configuration, ProactiveOptions.SectionName);
        try
        {
            proactive.ToQuietHours();
        }
        catch (ValidationException ex)
        {
            throw new OptionsValidationException(ProactiveOptions.SectionName, typeof(ProactiveOptions), [ex.Message]);
        }

        services.AddSingleton(proactive);
        services.AddSingleton(sp => new ProactiveSends(
            sp.GetRequiredService<ISettingsStore>(),
            sp.GetRequiredService<IDigestClaimStore>(),
            sp.GetRequiredService<INudgeStore>(),
            sp.GetRequiredService<NetworkService>(),
            sp.GetServices<IDigestChannel>(),
            sp.GetService<IReminderChannel>(),
            proactive,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ProactiveSends>>()));
        return builder;
    }

    private static void UsePseudonymKey(IConfiguration configuration)
    {
        if (configuration["Privacy:LogPseudonymKey"] is not { Length: > 0 } key)
        {
            return;
        }

        try
        {
            UserPseudonym.UseKey(key);
        }
        catch (ArgumentException ex)
        {
            throw new OptionsValidationException("Privacy", typeof(UserPseudonym), ["Privacy:LogPseudonymKey: " + ex.Message]);
        }
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        try
        {
            configuration.GetSection(section).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(section, typeof(T), [$"{section}: {ex.Message}"]);
        }

        return options;
    }

    private static void Validate(Action validate)
    {
        try
        {
            validate();
        }
        catch (ValidationException ex)
        {
            throw new OptionsValidationException(typeof(GraphOptions).Name, typeof(GraphOptions), [ex.Message]);
        }
    }

    /// <summary>
    /// <c>Graph:DevelopmentToken=true</c> sends a fixed bearer token instead of an Entra token. It exists for the
    /// DevHost against the local Graph simulator and is refused for any base URL that is not loopback.
    /// </summary>
    private static DevelopmentTokenCredential? DevelopmentCredential(IConfiguration configuration, GraphOptions graph)
    {
        if (!configuration.GetValue<bool>("Graph:DevelopmentToken"))
        {
            return null;
        }

        if (!graph.BaseUrl.IsLoopback && !(IPAddress.TryParse(graph.BaseUrl.Host, out var ip) && IPAddress.IsLoopback(ip)))
        {
            throw new OptionsValidationException("Graph", typeof(GraphOptions), ["Graph:DevelopmentToken is allowed only when Graph:BaseUrl is a loopback address (the local simulator)."]);
        }

        return new DevelopmentTokenCredential();
    }

    /// <summary>
    /// Without a connection string, storage is reached with a managed identity: the user-assigned one named by
    /// <c>Storage:clientId</c> (the same setting the Functions queue trigger reads), or the system-assigned one.
    /// </summary>
    private static ManagedIdentityCredential? StorageCredential(IConfiguration configuration)
    {
        if (!string.IsNullOrEmpty(configuration["Storage:ConnectionString"]))
        {
            return null;
        }

        return configuration["Storage:clientId"] is { Length: > 0 } clientId
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }

    /// <summary>Puts the change tracker in front of the table store, so every sync write also reaches the tie ledger.</summary>
    private static void DecorateMailboxStore(IServiceCollection services)
    {
        var inner = services.Last(d => d.ServiceType == typeof(IMailboxStore));
        services.Remove(inner);
        services.AddSingleton(sp => new MailboxChangeTracker(
            inner.ImplementationFactory is { } factory
                ? (IMailboxStore)factory(sp)
                : (IMailboxStore)ActivatorUtilities.CreateInstance(sp, inner.ImplementationType!),
            sp.GetRequiredService<ISyncStateStore>(),
            sp.GetRequiredService<ISettingsStore>(),
            sp.GetService<ServiceAddresses>()));
        services.AddSingleton<IMailboxStore>(sp => sp.GetRequiredService<MailboxChangeTracker>());
    }

    private sealed class DevelopmentTokenCredential : TokenCredential
    {
        private const string Token = "tiesoffice-development-token";

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(Token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));
    }

    private sealed class DelegateValidation<T>(Action<T> validate) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            try
            {
                validate(options);
                return ValidateOptionsResult.Success;
            }
            catch (ValidationException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
        }
    }
}
