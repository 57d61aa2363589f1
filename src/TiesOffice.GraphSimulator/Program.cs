using System.ComponentModel.DataAnnotations;
using System.Globalization;
using TiesOffice.GraphSimulator;

// Usage: TiesOffice.GraphSimulator --data ../shared/data/enron | --synthetic 1000 [--synthetic-messages 40] [--shift-to-now] [--seed 42] [--urls http://127.0.0.1:5599] [--mailbox ADDRESS]...
var options = new SimulatorOptions();
string? urls = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--data" when i + 1 < args.Length:
            options.DataPath = args[++i];
            break;
        case "--shift-to-now":
            options.ShiftToNow = true;
            break;
        case "--seed" when i + 1 < args.Length:
            options.Seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--urls" when i + 1 < args.Length:
            urls = args[++i];
            break;
        case "--synthetic" when i + 1 < args.Length:
            options.SyntheticMailboxes = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--synthetic-messages" when i + 1 < args.Length:
            options.SyntheticMessagesPerPerson = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--mailbox" when i + 1 < args.Length:
            options.ServiceMailboxes.Add(args[++i]);
            break;
        case "--no-calendar":
            options.GenerateCalendar = false;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: --data PATH | --synthetic MAILBOXES [--synthetic-messages N] [--shift-to-now] [--seed N] [--urls URL] [--mailbox ADDRESS]... [--no-calendar]");
            return 2;
    }
}

try
{
    await using var server = GraphSimulatorServer.Create(options, urls: urls ?? "http://127.0.0.1:5599");
    await server.StartAsync();
    Console.WriteLine($"Graph simulator: {server.Tenant.Users.Count} users; Graph at {server.GraphBaseUrl}, control API at {server.BaseAddress}_sim/.");
    await server.RunAsync();
    return 0;
}
catch (ValidationException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
