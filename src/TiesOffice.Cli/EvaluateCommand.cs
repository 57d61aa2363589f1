using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using TiesOffice.Domain.Evaluation;
using TiesOffice.Domain.Ties;

namespace TiesOffice.Cli;

/// <summary><c>tiesoffice evaluate</c>: the tie-prediction protocol of shared/data/README.md on any log.</summary>
internal static class EvaluateCommand
{
    private static readonly TieTier[] _tierOrder = [TieTier.Strong, TieTier.Weak, TieTier.Dormant, TieTier.Pseudo];

    private static readonly JsonSerializerOptions _json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var messages = new Option<string>("--messages") { Description = "messages.tsv of the log", Required = true };
        var cuts = new Option<string>("--cuts") { Description = "cut-off dates, yyyy-MM-dd,...", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "horizon in days", Required = true };
        var json = new Option<string?>("--json") { Description = "also write the results as JSON to this file" };
        var command = new Command("evaluate", "Measure how well the engine predicts reciprocal ties, against three baselines.")
        {
            messages, cuts, horizon, json,
        };
        command.SetAction(parse => Run(
            parse.GetRequiredValue(messages),
            parse.GetRequiredValue(cuts),
            parse.GetValue(horizon),
            parse.GetValue(json),
            stdout,
            stderr));
        return command;
    }

    private static int Run(string messagesPath, string cutsText, int horizonDays, string? jsonPath, TextWriter stdout, TextWriter stderr)
    {
        if (horizonDays < 1)
        {
            throw new UsageException($"--horizon: {horizonDays} must be a positive number of days.");
        }

        var cuts = ParseCuts(cutsText);
        var clock = Stopwatch.StartNew();
        var log = LogLoader.ReadMessages(messagesPath, stderr);
        var readTime = clock.Elapsed;
        var lastReported = -1;
        var progress = new SynchronousProgress(share =>
        {
            var step = (int)(share * 10);
            if (step > lastReported)
            {
                lastReported = step;
                stderr.WriteLine($"evaluating: {share:P0}");
            }
        });
        var report = TiePredictionEvaluator.Evaluate(log, cuts, horizonDays, progress);
        clock.Stop();
        Render(report, stdout);
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, ToJson(report));
        }

        stderr.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"time: {clock.Elapsed.TotalSeconds:0.00} s wall ({readTime.TotalSeconds:0.00} s reading), {log.Count} messages, {log.Count / clock.Elapsed.TotalSeconds:0} messages/s"));
        return CliApp.Success;
    }

    internal static List<DateOnly> ParseCuts(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new UsageException("--cuts: give at least one date, like 2001-01-01,2001-04-01.");
        }

        return parts.Select(p => CliApp.ParseDate(p, "--cuts")).ToList();
    }

    private static void Render(EvaluationReport report, TextWriter stdout)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = CliApp.TableWidth;
        var table = new Table().Title($"Tie prediction, horizon {report.HorizonDays} days");
        table.AddColumns("cut", "owners", "cands", "pos", "metric", "engine", "count", "recency", "weeks26");
        foreach (var cut in report.Cuts)
        {
            var head = new[] { cut.Cut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), N(cut.Owners), N(cut.Candidates), N(cut.Positives) };
            AddRow(table, head, "AUC", cut.Auc);
            AddRow(table, ["", "", "", ""], "owner AUC", cut.OwnerAuc);
            AddRow(table, ["", "", "", ""], "P@5", cut.PrecisionAt5);
        }

        AddRow(table, ["mean", "", "", ""], "AUC", report.MeanAuc);
        AddRow(table, ["", "", "", ""], "owner AUC", report.MeanOwnerAuc);
        AddRow(table, ["", "", "", ""], "P@5", report.MeanPrecisionAt5);
        console.Write(table);

        var tiers = new Table().Title("Tier calibration: share reciprocal in the horizon (n)");
        tiers.AddColumn("cut");
        foreach (var tier in _tierOrder)
        {
            tiers.AddColumn(tier.ToString().ToLowerInvariant());
        }

        foreach (var cut in report.Cuts)
        {
            var cells = new List<string> { cut.Cut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
            cells.AddRange(_tierOrder.Select(t => string.Create(
                CultureInfo.InvariantCulture, $"{cut.Tiers[t].ReciprocalShare:0.000} ({cut.Tiers[t].N})")));
            tiers.AddRow(cells.ToArray());
        }

        console.Write(tiers);
    }

    private static void AddRow(Table table, string[] head, string metric, ScorerFigures f) =>
        table.AddRow([.. head, metric, F(f.Engine), F(f.Count), F(f.Recency), F(f.Weeks26)]);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    internal static string ToJson(EvaluationReport report)
    {
        var tierNames = _tierOrder;
        var document = new
        {
            cuts = report.Cuts.Select(c => new
            {
                cut = c.Cut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                owners = c.Owners,
                candidates = c.Candidates,
                positives = c.Positives,
                auc = Figures(c.Auc),
                ownerAuc = Figures(c.OwnerAuc),
                precisionAt5 = Figures(c.PrecisionAt5),
                tiers = tierNames.ToDictionary(
                    t => t.ToString().ToLowerInvariant(),
                    t => new { n = c.Tiers[t].N, reciprocalShare = Round(c.Tiers[t].ReciprocalShare) }),
            }),
            mean = new
            {
                auc = Figures(report.MeanAuc),
                ownerAuc = Figures(report.MeanOwnerAuc),
                precisionAt5 = Figures(report.MeanPrecisionAt5),
            },
        };
        return JsonSerializer.Serialize(document, _json);
    }

    private static Dictionary<string, double> Figures(ScorerFigures f) => new()
    {
        ["engine"] = Round(f.Engine),
        ["count"] = Round(f.Count),
        ["recency"] = Round(f.Recency),
        ["weeks26"] = Round(f.Weeks26),
    };

    private static double Round(double x) => double.IsNaN(x) ? x : Math.Round(x, 4);

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
