using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;
using TiesOffice.Domain.MailLog;
using TiesOffice.Domain.Metadata;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Cli;

/// <summary><c>tiesoffice analyze</c>: one mailbox's ties, as a table, JSON or CSV.</summary>
internal static class AnalyzeCommand
{
    // camelCase keys, like the evaluate report and the web API.
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var messages = new Option<string>("--messages") { Description = "messages.tsv of the log", Required = true };
        var people = new Option<string?>("--people") { Description = "people.tsv, for names and departments" };
        var owner = new Option<string>("--owner") { Description = "the mailbox owner's address", Required = true };
        var asOf = new Option<string?>("--as-of") { Description = "score as of this date, yyyy-MM-dd (default: the day after the mailbox's last message)" };
        var format = new Option<string>("--format") { Description = "table, json or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var tiers = new Option<string?>("--tier") { Description = "show only these tiers, comma-separated: strong, weak, dormant, pseudo (default: all)" };
        var top = new Option<int?>("--top") { Description = "show only the N highest-scored ties (after --tier)" };
        top.CustomParser = result =>
        {
            var text = string.Join(' ', result.Tokens.Select(t => t.Value));
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
            {
                return n;
            }

            result.AddError($"--top: '{text}' is not a whole number of at least 1.");
            return null;
        };
        var command = new Command("analyze", "Show one mailbox's ties: tier, score, reciprocity, portability, last contact, rhythm and why.")
        {
            messages, people, owner, asOf, format, tiers, top,
        };
        command.SetAction(parse => Run(
            new AnalyzeRequest(
                parse.GetRequiredValue(messages),
                parse.GetValue(people),
                parse.GetRequiredValue(owner),
                parse.GetValue(asOf),
                parse.GetValue(format) ?? "table",
                ParseTiers(parse.GetValue(tiers)),
                parse.GetValue(top)),
            stdout,
            stderr));
        return command;
    }

    /// <summary>The tiers <c>--tier</c> names; null (all tiers) when the option is absent.</summary>
    internal static IReadOnlySet<TieTier>? ParseTiers(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var tiers = new HashSet<TieTier>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // Enum.TryParse also takes numbers ("1", "7"); only the names are tiers.
            if (int.TryParse(part, CultureInfo.InvariantCulture, out _) || !Enum.TryParse<TieTier>(part, ignoreCase: true, out var tier))
            {
                throw new UsageException($"--tier: '{part}' is not a tier; use strong, weak, dormant or pseudo.");
            }

            tiers.Add(tier);
        }

        return tiers.Count > 0 ? tiers : throw new UsageException("--tier: name at least one tier: strong, weak, dormant or pseudo.");
    }

    private static int Run(AnalyzeRequest request, TextWriter stdout, TextWriter stderr)
    {
        var (messagesPath, peoplePath, ownerText, asOfText, format, _, _) = request;
        var owner = MailAddress.Normalize(ownerText);
        if (!MailAddress.IsPersonKey(owner))
        {
            throw new UsageException($"--owner: '{ownerText}' is neither a mail address nor a person id.");
        }

        DateTimeOffset? cut = asOfText is null ? null : new DateTimeOffset(CliApp.ParseDate(asOfText, "--as-of").ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var names = peoplePath is null
            ? new Dictionary<string, Person>(StringComparer.Ordinal)
            : LogLoader.ReadPeople(peoplePath).ToDictionary(p => p.Address, StringComparer.Ordinal);
        var mailbox = LogLoader.ReadMessages(messagesPath, stderr, m => Mailbox.Contains(m, owner));
        if (mailbox.Count == 0)
        {
            var known = names.ContainsKey(owner) ? $" ({peoplePath} lists them, but they have no mail)" : string.Empty;
            throw new UsageException($"{messagesPath}: unknown owner '{owner}': no message was sent by or to this address{known}.");
        }

        var asOf = cut ?? new DateTimeOffset(mailbox.Max(m => m.SentAt).UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        var ledger = new TieLedger(owner);
        ledger.AddRange(mailbox.Where(m => m.SentAt < asOf).OrderBy(m => m.SentAt).ToList());

        if (ledger.ItemCount == 0)
        {
            throw new UsageException($"--as-of: {asOf:yyyy-MM-dd} is before the first message of '{owner}' in {messagesPath}.");
        }

        var all = ledger.Score(asOf);
        IEnumerable<Tie> shown = all;
        if (request.Tiers is { } wanted)
        {
            shown = shown.Where(t => wanted.Contains(t.Tier));
        }

        if (request.Top is { } n)
        {
            shown = shown.Take(n);
        }

        var ties = shown.ToList();
        switch (format)
        {
            case "json":
                stdout.WriteLine(JsonSerializer.Serialize(ties.Select(t => ToRow(t, names, asOf)), _json));
                break;
            case "csv":
                WriteCsv(ties, names, asOf, stdout);
                break;
            default:
                WriteTable(ties, all, names, asOf, owner, ledger.ItemCount, stdout);
                break;
        }

        return CliApp.Success;
    }

    private static TieRow ToRow(Tie t, Dictionary<string, Person> names, DateTimeOffset asOf) => new(
        t.Contact,
        names.TryGetValue(t.Contact, out var p) ? p.DisplayName : null,
        t.Tier.ToString().ToLowerInvariant(),
        Math.Round(t.Score, 4),
        t.Reciprocity.Sent,
        t.Reciprocity.Received,
        Math.Round(t.Reciprocity.Balance, 3),
        t.Reciprocity.TheirReplyRate is { } r ? Math.Round(r, 3) : null,
        t.Reciprocity.TheirReplyTime is { } rt ? Math.Round(rt.TotalHours, 1) : null,
        t.Reciprocity.Owed.ToString().ToLowerInvariant(),
        Math.Round(t.Portability.PersonalShare, 3),
        PortabilityLabel(t.Portability.Class),
        t.LastContact?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        t.LastContact is { } last ? (int)Math.Floor((asOf - last).TotalDays) : null,
        t.Rhythm is { } rhythm ? (int)Math.Round(rhythm.TotalDays) : null,
        t.Trend.ToString().ToLowerInvariant(),
        t.Why.ToSentence());

    // The docs' words: personal, mixed, position-based, unknown.
    private static string PortabilityLabel(PortabilityClass portability) => portability switch
    {
        PortabilityClass.PositionBased => "position-based",
        _ => portability.ToString().ToLowerInvariant(),
    };

    private static void WriteCsv(IReadOnlyList<Tie> ties, Dictionary<string, Person> names, DateTimeOffset asOf, TextWriter stdout)
    {
        stdout.WriteLine("contact,name,tier,score,sent,received,balance,their_reply_rate,their_reply_hours,reply_owed_by,personal_share,portability,last_contact,days_since,rhythm_days,trend,why");
        foreach (var t in ties)
        {
            var r = ToRow(t, names, asOf);
            var cells = new object?[] { r.Contact, r.Name, r.Tier, r.Score, r.Sent, r.Received, r.Balance, r.TheirReplyRate, r.TheirReplyHours, r.ReplyOwedBy, r.PersonalShare, r.Portability, r.LastContact, r.DaysSince, r.RhythmDays, r.Trend, r.Why };
            stdout.WriteLine(string.Join(',', cells.Select(Csv)));
        }
    }

    private static string Csv(object? value)
    {
        var text = value switch
        {
            null => string.Empty,
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? string.Empty,
        };
        return text.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }

    private static void WriteTable(List<Tie> ties, IReadOnlyList<Tie> all, Dictionary<string, Person> names, DateTimeOffset asOf, string owner, int items, TextWriter stdout)
    {
        var console = CliApp.TableConsole(stdout);
        var counts = Enum.GetValues<TieTier>().Reverse().Select(tier => $"{all.Count(t => t.Tier == tier)} {tier.ToString().ToLowerInvariant()}");
        var table = new Table().Title(Markup.Escape($"{owner} as of {asOf:yyyy-MM-dd}: {items} messages, {string.Join(", ", counts)}"));
        if (ties.Count < all.Count)
        {
            table.Caption($"showing {ties.Count} of {all.Count} ties (--tier, --top)");
        }

        table.AddColumns("contact", "tier", "score", "sent/recv", "balance", "portability", "last", "rhythm", "trend", "why");
        foreach (var t in ties)
        {
            var r = ToRow(t, names, asOf);
            var contact = r.Name is { Length: > 0 } name ? $"{name} <{r.Contact}>" : r.Contact;
            table.AddRow(
                Markup.Escape(contact),
                r.Tier,
                r.Score.ToString("0.00", CultureInfo.InvariantCulture),
                $"{r.Sent}/{r.Received}",
                r.Balance.ToString("0.00", CultureInfo.InvariantCulture),
                r.Portability,
                r.LastContact ?? "-",
                r.RhythmDays is { } d ? $"{d} d" : "-",
                r.Trend,
                Markup.Escape(r.Why));
        }

        console.Write(table);
    }

    private sealed record AnalyzeRequest(
        string MessagesPath,
        string? PeoplePath,
        string Owner,
        string? AsOf,
        string Format,
        IReadOnlySet<TieTier>? Tiers,
        int? Top);

    private sealed record TieRow(
        string Contact,
        string? Name,
        string Tier,
        double Score,
        int Sent,
        int Received,
        double Balance,
        double? TheirReplyRate,
        double? TheirReplyHours,
        string ReplyOwedBy,
        double PersonalShare,
        string Portability,
        string? LastContact,
        int? DaysSince,
        int? RhythmDays,
        string Trend,
        string Why);
}
