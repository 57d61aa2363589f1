using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using TiesOffice.Application.Network;
using TiesOffice.Application.Ports;
using TiesOffice.Application.Proactive;
using TiesOffice.Infrastructure.Bot.Auth;
using TiesOffice.Infrastructure.Bot.Cards;
using TiesOffice.Infrastructure.Bot.Connector;
using TiesOffice.Infrastructure.Bot.Outlook;

namespace TiesOffice.Infrastructure.Bot;

/// <summary>Registers the bot adapter.</summary>
public static class BotServiceCollectionExtensions
{
    /// <summary>
    /// Registers the inbound authenticator, the Connector client and its token source, the cards, the activity handler,
    /// the <c>/api/messages</c> endpoint, and the Teams proactive channel (<see cref="IDigestChannel"/> and
    /// <see cref="IReminderChannel"/>). The host supplies logging, <see cref="TimeProvider"/> and the stores
    /// (<see cref="IUserDirectory"/>, <see cref="IConversationReferenceStore"/>, <see cref="IPrivacyOperations"/>,
    /// <see cref="ISyncWorkSink"/>) and the tab's use cases (<see cref="NetworkService"/>), which the bot's answers come from.
    /// Also registers the digest's Outlook channel (<see cref="OutlookDigestChannel"/>, an <see cref="IDigestChannel"/>),
    /// which answers NoRoute unless <paramref name="actionableMessages"/> is on; it sends through the host's
    /// <see cref="IMailSender"/> (Graph's sendMail).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="options">The validated bot options.</param>
    /// <param name="actionableMessages">The actionable-message settings; null leaves them off.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddTiesOfficeBot(this IServiceCollection services, BotOptions options, ActionableMessagesOptions? actionableMessages = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        actionableMessages ??= new ActionableMessagesOptions();
        actionableMessages.Validate(options.ChannelSet);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton(sp => new BotHttpClients(options));
        services.AddSingleton(sp => new BotSigningKeys(options, sp.GetRequiredService<BotHttpClients>().Client, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new BotAuthenticator(options, sp.GetRequiredService<BotSigningKeys>(), sp.GetRequiredService<ILogger<BotAuthenticator>>()));
        services.AddSingleton(sp => new BotTokenSource(BotTokenSource.CreateCredential(options, sp.GetRequiredService<BotHttpClients>().Handler), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new ConnectorClient(
            sp.GetRequiredService<BotHttpClients>().Client, sp.GetRequiredService<BotTokenSource>(), options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<ConnectorClient>>()));
        services.AddSingleton(new BotCards(TabLink(options)));
        services.AddSingleton(sp => new BotActivityHandler(
            sp.GetRequiredService<ConnectorClient>(), sp.GetRequiredService<IUserDirectory>(), sp.GetRequiredService<IConversationReferenceStore>(),
            sp.GetRequiredService<IPrivacyOperations>(), sp.GetRequiredService<NetworkService>(), sp.GetRequiredService<ISyncWorkSink>(), sp.GetRequiredService<BotCards>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BotActivityHandler>>(), actionableMessages, sp.GetService<ITeamsUserIndex>()));
        services.AddSingleton(sp => new TeamsProactiveChannel(
            sp.GetRequiredService<ConnectorClient>(), sp.GetRequiredService<IConversationReferenceStore>(), sp.GetRequiredService<BotCards>()));
        services.AddSingleton<IDigestChannel>(sp => sp.GetRequiredService<TeamsProactiveChannel>());
        services.AddSingleton<IReminderChannel>(sp => sp.GetRequiredService<TeamsProactiveChannel>());
        services.AddSingleton(actionableMessages);
        services.AddSingleton(sp => new ActionableDigestMail(sp.GetRequiredService<BotCards>()));
        services.AddSingleton(sp => new OutlookDigestChannel(
            actionableMessages, sp.GetRequiredService<ActionableDigestMail>(), sp.GetRequiredService<IMailSender>(), sp.GetRequiredService<ILogger<OutlookDigestChannel>>()));
        services.AddSingleton<IDigestChannel>(sp => sp.GetRequiredService<OutlookDigestChannel>());
        services.AddSingleton(sp => new BotMessagesEndpoint(
            sp.GetRequiredService<BotAuthenticator>(), sp.GetRequiredService<BotActivityHandler>(), sp.GetRequiredService<ILogger<BotMessagesEndpoint>>()));
        return services;
    }

    /// <summary>The deep link that opens the personal tab (<c>https://teams.microsoft.com/l/entity/{appId}/{entityId}</c>).</summary>
    public static string TabLink(BotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var app = string.IsNullOrEmpty(options.TeamsAppId) ? options.AppId : options.TeamsAppId;
        return $"https://teams.microsoft.com/l/entity/{Uri.EscapeDataString(app)}/{Uri.EscapeDataString(options.TabEntityId)}";
    }
}

/// <summary>The one handler and client every bot call shares (metadata, token, Connector).</summary>
internal sealed class BotHttpClients : IDisposable
{
    public BotHttpClients(BotOptions options)
    {
        Handler = BotHttp.CreateHandler(options);
        Client = new HttpClient(Handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(30) };
    }

    public SocketsHttpHandler Handler { get; }

    public HttpClient Client { get; }

    public void Dispose()
    {
        Client.Dispose();
        Handler.Dispose();
    }
}
