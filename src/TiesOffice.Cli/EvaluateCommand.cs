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

    // Undefined figures (a cut without owners, an empty tier) are written as null, not as NaN.
    private static readonly JsonSerializerOptions _json = new() { WriteIndented = true };

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
        foreach (var warning in Warnings(report))
        {
            stderr.WriteLine("warning: " + warning);
        }

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

    /// <summary>What makes a cut's figures missing or unreliable, in words.</summary>
    internal static IEnumerable<string> Warnings(EvaluationReport report)
    {
        foreach (var cut in report.Cuts)
        {
            var date = cut.Cut.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var start = new DateTimeOffset(cut.Cut.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = start.AddDays(report.HorizonDays);
            if (cut.Owners == 0)
            {
                yield return $"cut {date}: no owners (nobody sent mail both before it and within {report.HorizonDays} days after it); it has no figures and is left out of the means.";
            }
            else if (cut.Positives == 0 || cut.Positives == cut.Candidates)
            {
                yield return $"cut {date}: every pair has the same label, so its pooled AUC is undefined and left out of the mean.";
            }

            if (report.LastMessage is { } last && end > last.AddDays(1) && cut.Owners > 0)
            {
                yield return $"cut {date}: its horizon ends {end:yyyy-MM-dd}, after the log's last message ({last:yyyy-MM-dd}), so some reciprocal pairs may be labelled negative.";
            }
        }
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
        var console = CliApp.TableConsole(stdout);
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
            cells.AddRange(_tierOrder.Select(t => Calibration(cut.Tiers[t])));
            tiers.AddRow(cells.ToArray());
        }

        tiers.AddRow([.. (string[])["all cuts"], .. _tierOrder.Select(t => Calibration(report.PooledTiers[t]))]);

        console.Write(tiers);
    }

    private static void AddRow(Table table, string[] head, string metric, ScorerFigures f) =>
        table.AddRow([.. head, metric, F(f.Engine), F(f.Count), F(f.Recency), F(f.Weeks26)]);

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string F(double x) => double.IsNaN(x) ? "-" : x.ToString("0.000", CultureInfo.InvariantCulture);

    private static string Calibration(TierCalibration c) => string.Create(CultureInfo.InvariantCulture, $"{F(c.ReciprocalShare)} ({c.N})");

    internal static string ToJson(EvaluationReport report)
    {
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
                tiers = Tiers(c.Tiers),
            }),
            mean = new
            {
                auc = Figures(report.MeanAuc),
                ownerAuc = Figures(report.MeanOwnerAuc),
                precisionAt5 = Figures(report.MeanPrecisionAt5),

                // Not a mean: the calibration over the pairs of all cuts together.
                tiers = Tiers(report.PooledTiers),
            },
        };
        return JsonSerializer.Serialize(document, _json);
    }

    private static Dictionary<string, object> Tiers(IReadOnlyDictionary<TieTier, TierCalibration> tiers) =>
        _tierOrder.ToDictionary(
            t => t.ToString().ToLowerInvariant(),
            t => (object)new { n = tiers[t].N, reciprocalShare = Round(tiers[t].ReciprocalShare) });

    private static Dictionary<string, double?> Figures(ScorerFigures f) => new()
    {
        ["engine"] = Round(f.Engine),
        ["count"] = Round(f.Count),
        ["recency"] = Round(f.Recency),
        ["weeks26"] = Round(f.Weeks26),
    };

    private static double? Round(double x) => double.IsNaN(x) ? null : Math.Round(x, 4);

    private sealed class SynchronousProgress(Action<double> report) : IProgress<double>
    {
        public void Report(double value) => report(value);
    }
}
