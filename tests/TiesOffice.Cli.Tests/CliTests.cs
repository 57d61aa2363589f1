using System.Text.Json;

namespace TiesOffice.Cli.Tests;

public sealed class CliTests : IDisposable
{
    private const string Header = "id\tsent_utc\tfrom\tto\tcc\tsubject\tconversation";
    private readonly string _dir = Directory.CreateTempSubdirectory("tiesoffice-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string SmallLog() => Write("messages.tsv", Header + "\n"
        + "m1\t2024-01-02T09:00:00Z\tme@x.com\tann@x.com\t\tPlan\t\n"
        + "m2\t2024-01-02T11:00:00Z\tann@x.com\tme@x.com\t\tRe: plan\t\n"
        + "m3\t2024-01-09T09:00:00Z\tbob@x.com\tme@x.com\tann@x.com\tNews\t\n");

    [Fact]
    public void Analyze_Json_PrintsEveryTieWithTierAndWhy()
    {
        var (exit, output, _) = CliRunner.Run("analyze", "--messages", SmallLog(), "--owner", "ME@x.com", "--format", "json");
        Assert.Equal(0, exit);
        var ties = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(["ann@x.com", "bob@x.com"], ties.Select(t => t.GetProperty("contact").GetString()).Order());
        var ann = ties.Single(t => t.GetProperty("contact").GetString() == "ann@x.com");
        Assert.NotEqual("pseudo", ann.GetProperty("tier").GetString());
        Assert.Equal("pseudo", ties.Single(t => t.GetProperty("contact").GetString() == "bob@x.com").GetProperty("tier").GetString());
        Assert.Contains("they usually reply within 2 h", ann.GetProperty("why").GetString(), StringComparison.Ordinal);
        Assert.All(ties, t => Assert.Contains(t.GetProperty("portability").GetString(), (string[])["personal", "mixed", "position-based", "unknown"]));
        Assert.DoesNotContain("plan", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Analyze_Csv_HasHeaderAndOneRowPerContact()
    {
        var (exit, output, _) = CliRunner.Run("analyze", "--messages", SmallLog(), "--owner", "me@x.com", "--format", "csv");
        Assert.Equal(0, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("contact,name,tier,score", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public void Analyze_TableWithPeople_ShowsNames()
    {
        var people = Write("people.tsv", "address\tdisplay_name\tdepartment\tjob_title\nann@x.com\tAnn Lee\tSales\t\n");
        var (exit, output, _) = CliRunner.Run("analyze", "--messages", SmallLog(), "--people", people, "--owner", "me@x.com", "--as-of", "2024-02-01");
        Assert.Equal(0, exit);
        Assert.Contains("Ann Lee", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_TierAndTop_ShowOnlyTheChosenTiesHighestFirst()
    {
        var log = Write("messages.tsv", Header + "\n"
            + "m1\t2024-01-02T09:00:00Z\tme@x.com\tann@x.com\t\t\t\n"
            + "m2\t2024-01-02T11:00:00Z\tann@x.com\tme@x.com\t\t\t\n"
            + "m3\t2024-01-03T09:00:00Z\tme@x.com\tcid@x.com\t\t\t\n"
            + "m4\t2024-01-03T10:00:00Z\tcid@x.com\tme@x.com\t\t\t\n"
            + "m5\t2024-01-04T09:00:00Z\tme@x.com\tcid@x.com\t\t\t\n"
            + "m6\t2024-01-05T09:00:00Z\tbob@x.com\tme@x.com\t\t\t\n");
        var (exit, output, _) = CliRunner.Run("analyze", "--messages", log, "--owner", "me@x.com", "--format", "json", "--tier", "Weak, strong,dormant", "--top", "1");
        Assert.Equal(0, exit);
        var shown = JsonDocument.Parse(output).RootElement.EnumerateArray().Select(t => t.GetProperty("contact").GetString()).ToList();
        Assert.Equal(["cid@x.com"], shown);

        (exit, output, _) = CliRunner.Run("analyze", "--messages", log, "--owner", "me@x.com", "--tier", "pseudo");
        Assert.Equal(0, exit);
        Assert.Contains("bob@x.com", output, StringComparison.Ordinal);
        Assert.DoesNotContain("ann@x.com", output, StringComparison.Ordinal);
        Assert.Contains("showing 1 of 3 ties", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_PseudonymisedLog_AcceptsPersonIdsWithANote()
    {
        var log = Write("ids.tsv", Header + "\n"
            + "m1\t2024-01-02T09:00:00Z\tu1\tu2\t\t\t\n"
            + "m2\t2024-01-02T11:00:00Z\tu2\tu1\t\t\t\n");
        var (exit, output, error) = CliRunner.Run("analyze", "--messages", log, "--owner", "u1", "--format", "json");
        Assert.Equal(0, exit);
        Assert.Equal("u2", JsonDocument.Parse(output).RootElement.EnumerateArray().Single().GetProperty("contact").GetString());
        Assert.Contains("names people by ids", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--tier", "close", "--tier: 'close' is not a tier")]
    [InlineData("--tier", "1", "--tier: '1' is not a tier")]
    [InlineData("--tier", ",", "--tier: name at least one tier")]
    [InlineData("--top", "0", "--top: '0' is not a whole number of at least 1")]
    [InlineData("--top", "many", "--top: 'many' is not a whole number of at least 1")]
    public void Analyze_BadTierOrTop_ExitsTwo(string option, string value, string expected)
    {
        var (exit, _, error) = CliRunner.Run("analyze", "--messages", SmallLog(), "--owner", "me@x.com", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_UnknownOwner_ExitsTwoNamingTheFile()
    {
        var log = SmallLog();
        var (exit, _, error) = CliRunner.Run("analyze", "--messages", log, "--owner", "ghost@x.com");
        Assert.Equal(2, exit);
        Assert.Contains(log, error, StringComparison.Ordinal);
        Assert.Contains("unknown owner 'ghost@x.com'", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("id\tfrom\tto\nm1\ta@x.com\tb@x.com\n", ":1: missing column 'sent_utc'")]
    [InlineData(Header + "\nm1\t2024-02-30T00:00:00Z\tme@x.com\tb@x.com\t\t\t\n", ":2: '2024-02-30T00:00:00Z' in column 'sent_utc'")]
    [InlineData("", ": the file is empty")]
    [InlineData(Header + "\n", ": the file has a header but no messages")]
    public void Analyze_BadLog_ExitsTwoWithFileAndLine(string text, string expected)
    {
        var path = Write("bad.tsv", text);
        var (exit, output, error) = CliRunner.Run("analyze", "--messages", path, "--owner", "me@x.com");
        Assert.Equal(2, exit);
        Assert.Contains(path + expected, error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [Theory]
    [InlineData("2001-13-01", "--cuts: '2001-13-01' is not a date")]
    [InlineData(",", "--cuts: give at least one date")]
    public void Evaluate_BadCuts_ExitsTwo(string cuts, string expected)
    {
        var (exit, _, error) = CliRunner.Run("evaluate", "--messages", SmallLog(), "--cuts", cuts, "--horizon", "90");
        Assert.Equal(2, exit);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MissingFile_ExitsTwo()
    {
        var missing = Path.Combine(_dir, "nope.tsv");
        var (exit, _, error) = CliRunner.Run("evaluate", "--messages", missing, "--cuts", "2001-01-01", "--horizon", "90");
        Assert.Equal(2, exit);
        Assert.Contains(missing + ": file not found", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_MissingRequiredOption_ExitsTwo()
    {
        var (exit, _, error) = CliRunner.Run("evaluate", "--cuts", "2001-01-01");
        Assert.Equal(2, exit);
        Assert.Contains("--messages", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_Enron_WritesTheIssuesJsonShapeAndTiming()
    {
        var json = Path.Combine(_dir, "eval.json");
        var (exit, output, error) = CliRunner.Run(
            "evaluate", "--messages", CliRunner.Enron("messages.tsv"), "--cuts", "2001-01-01,2001-10-01", "--horizon", "90", "--json", json);
        Assert.Equal(0, exit);
        Assert.Contains("messages/s", error, StringComparison.Ordinal);
        Assert.Contains("2001-10-01", output, StringComparison.Ordinal);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var cuts = root.GetProperty("cuts").EnumerateArray().ToList();
        Assert.Equal(["2001-01-01", "2001-10-01"], cuts.Select(c => c.GetProperty("cut").GetString()));
        foreach (var cut in cuts)
        {
            Assert.True(cut.GetProperty("owners").GetInt32() > 0);
            Assert.True(cut.GetProperty("positives").GetInt32() < cut.GetProperty("candidates").GetInt32());
            foreach (var metric in new[] { "auc", "ownerAuc", "precisionAt5" })
            {
                var m = cut.GetProperty(metric);
                foreach (var scorer in new[] { "engine", "count", "recency", "weeks26" })
                {
                    Assert.InRange(m.GetProperty(scorer).GetDouble(), 0, 1);
                }
            }

            foreach (var tier in new[] { "strong", "weak", "dormant", "pseudo" })
            {
                Assert.True(cut.GetProperty("tiers").GetProperty(tier).GetProperty("n").GetInt32() >= 0);
                Assert.InRange(cut.GetProperty("tiers").GetProperty(tier).GetProperty("reciprocalShare").GetDouble(), 0, 1);
            }
        }

        var mean = root.GetProperty("mean");
        Assert.True(mean.GetProperty("auc").GetProperty("engine").GetDouble() > mean.GetProperty("auc").GetProperty("count").GetDouble());
    }

    [Fact]
    public void Evaluate_CutWithoutOwners_HasNullFiguresAWarningAndNoWeightInTheMeans()
    {
        var json = Path.Combine(_dir, "sparse.json");
        var (exit, _, error) = CliRunner.Run(
            "evaluate", "--messages", CliRunner.Enron("messages.tsv"), "--cuts", "1990-01-01,2001-10-01", "--horizon", "90", "--json", json);
        Assert.Equal(0, exit);
        Assert.Contains("warning: cut 1990-01-01: no owners", error, StringComparison.Ordinal);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var empty = root.GetProperty("cuts")[0];
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("auc").GetProperty("engine").ValueKind);
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("tiers").GetProperty("strong").GetProperty("reciprocalShare").ValueKind);
        var only = root.GetProperty("cuts")[1].GetProperty("auc").GetProperty("engine").GetDouble();
        Assert.Equal(only, root.GetProperty("mean").GetProperty("auc").GetProperty("engine").GetDouble());
        var pooled = root.GetProperty("mean").GetProperty("tiers").GetProperty("pseudo");
        Assert.Equal(root.GetProperty("cuts")[1].GetProperty("tiers").GetProperty("pseudo").GetProperty("n").GetInt32(), pooled.GetProperty("n").GetInt32());
    }

    [Fact]
    public void Evaluate_HorizonPastTheEndOfTheLog_Warns()
    {
        var (exit, _, error) = CliRunner.Run(
            "evaluate", "--messages", CliRunner.Enron("messages.tsv"), "--cuts", "2002-05-01", "--horizon", "90");
        Assert.Equal(0, exit);
        Assert.Contains("after the log's last message (2002-06-21)", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_ExitsZero()
    {
        var (exit, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, exit);
        Assert.Contains("evaluate", output, StringComparison.Ordinal);
    }
}
