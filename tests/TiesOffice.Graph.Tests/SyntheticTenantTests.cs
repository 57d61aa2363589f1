using TiesOffice.GraphSimulator;
using TiesOffice.GraphSimulator.Model;

namespace TiesOffice.Graph.Tests;

/// <summary>The synthetic tenant used for scale runs (docs/Scale.md).</summary>
public sealed class SyntheticTenantTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Generate_SameSeed_SameTenant()
    {
        var a = SyntheticTenant.Generate(120, 30, 7, Now);
        var b = SyntheticTenant.Generate(120, 30, 7, Now);
        var c = SyntheticTenant.Generate(120, 30, 8, Now);

        Assert.Equal(a.People, b.People);
        Assert.Equal(a.Messages.Select(m => (m.From, string.Join(',', m.To), string.Join(',', m.Cc), m.SentAt)), b.Messages.Select(m => (m.From, string.Join(',', m.To), string.Join(',', m.Cc), m.SentAt)));
        Assert.NotEqual(a.Messages.Count, c.Messages.Count);
    }

    [Fact]
    public void Generate_ThousandPeople_MixedMailboxSizesInDepartmentsOverOneYear()
    {
        var (people, messages) = SyntheticTenant.Generate(1000, 40, 42, Now);

        Assert.Equal(1000, people.Select(p => p.Address).Distinct(StringComparer.Ordinal).Count());
        Assert.All(people.GroupBy(p => p.Department), g => Assert.InRange(g.Count(), 1, 14));
        Assert.All(messages, m => Assert.DoesNotContain(m.From, m.To.Concat(m.Cc)));
        Assert.All(messages, m => Assert.InRange(m.SentAt, Now.AddDays(-365), Now));
        var copies = people.ToDictionary(p => p.Address, _ => 0, StringComparer.Ordinal);
        foreach (var m in messages)
        {
            foreach (var a in m.To.Concat(m.Cc).Append(m.From))
            {
                copies[a]++;
            }
        }

        // Mean about 40 sent plus about 100 received; the busiest mailboxes hold many times the quietest.
        Assert.InRange(copies.Values.Average(), 100, 200);
        var sorted = copies.Values.Order().ToList();
        Assert.True(sorted[^10] > 3 * sorted[10], $"10th smallest {sorted[10]}, 10th largest {sorted[^10]}");
    }

    [Fact]
    public async Task StartAsync_SyntheticOption_ServesEveryMailboxWithCalendars()
    {
        await using var sim = await GraphSimulatorServer.StartAsync(new SimulatorOptions { SyntheticMailboxes = 600, SyntheticMessagesPerPerson = 5 }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(600, sim.Tenant.Users.Count);
        var events = sim.Tenant.Mailboxes.Select(b => b.Items.Count(i => i.Kind == SimItemKind.Event)).ToList();
        Assert.All(events, e => Assert.True(e > 0));

        // Above 500 people the all-hands invites the all-staff list: one attendee, yet a copy in every calendar.
        var allHands = sim.Tenant.Mailboxes.Select(b => b.Items.FirstOrDefault(i => i.Kind == SimItemKind.Event && i.Event!.Subject == "All-hands")).ToList();
        Assert.All(allHands, i => Assert.Single(Assert.IsType<SimItem>(i).Event!.Attendees));
    }
}
