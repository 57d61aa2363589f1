using System.Globalization;
using TiesOffice.FakeTeams;

// Usage: TiesOffice.FakeTeams --bot http://127.0.0.1:5080/api/messages [--urls https://127.0.0.1:5690] [--cert-out PATH]
//        [--app-id ID] [--secret SECRET] [--tenant ID] [--user OBJECTID,NAME,EMAIL]... [--rate-limits] [--renderer PATH] [--endorse CHANNEL]...
var options = new FakeTeamsOptions();
var urls = "https://127.0.0.1:5690";
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--bot" when i + 1 < args.Length:
            options.BotEndpoint = new Uri(args[++i]);
            break;
        case "--urls" when i + 1 < args.Length:
            urls = args[++i];
            break;
        case "--cert-out" when i + 1 < args.Length:
            options.CertificatePemPath = args[++i];
            break;
        case "--app-id" when i + 1 < args.Length:
            options.BotAppId = args[++i];
            break;
        case "--secret" when i + 1 < args.Length:
            options.BotClientSecret = args[++i];
            break;
        case "--tenant" when i + 1 < args.Length:
            options.TenantId = args[++i];
            break;
        case "--user" when i + 1 < args.Length:
            var parts = args[++i].Split(',', 3);
            if (parts.Length != 3)
            {
                Console.Error.WriteLine("--user takes OBJECTID,NAME,EMAIL");
                return 2;
            }

            options.Users.Add(new FakeUser(parts[0], parts[1], parts[2]));
            break;
        case "--endorse" when i + 1 < args.Length:
            // Another channel the signing key is endorsed for (outlook, for actionable messages' buttons).
            options.Endorsements.Add(args[++i]);
            break;
        case "--rate-limits":
            options.EnforceRateLimits = true;
            break;
        case "--renderer" when i + 1 < args.Length:
            options.AdaptiveCardsScriptPath = args[++i];
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. See the usage at the top of Program.cs.");
            return 2;
    }
}

await using var channel = FakeTeamsChannel.Create(options, urls);
using var bot = new HttpClient();
channel.BotClient = bot;
await channel.StartAsync();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Fake Teams channel at {channel.BaseAddress} ({options.Users.Count} users); bot at {options.BotEndpoint}."));
await channel.RunAsync();
return 0;
