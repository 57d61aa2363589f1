using Microsoft.Extensions.DependencyInjection;
using TiesOffice.Application;
using TiesOffice.Application.Ports;
using TiesOffice.Web;

namespace TiesOffice.EndToEnd.Tests;

/// <summary>The timer's jobs at scale, through the DevHost's composition, the simulator and Azurite.</summary>
public sealed class FanOutTests(EndToEndFixture app) : IClassFixture<EndToEndFixture>
{
    [Fact]
    public async Task TimerJobQueuedBeforeTheUsersLastSyncStarted_DroppedWithoutAGraphRequest()
    {
        // A timer tick queued for the user while an earlier job (here the enrolment's first sync) was still to run:
        // that sync served it, so when the tick's message is delivered it must cost no Graph request.
        var ct = TestContext.Current.CancellationToken;
        const string address = "kay.mann@enron.com";
        var tickRequestedAt = DateTimeOffset.UtcNow;
        var id = await app.EnrolAsync(address, ct);
        var user = new UserKey(EndToEndFixture.TenantId, id);
        await app.WaitForScoresAsync(1, ct);
        var privacy = app.Host.Services.GetRequiredService<IPrivacyOperations>();
        var recorded = await EndToEndFixture.PollAsync(async () => (await privacy.ExportAsync(user, ct)).CompletedJobs.Count > 0 ? "recorded" : null, ct);
        var mailbox = app.Simulator.Tenant.Mailbox(address)!;
        var before = mailbox.RequestCount;
        var tick = $$"""{"tenantId":"{{user.TenantId}}","userId":"{{user.UserId}}","reason":"timer","requestedAt":"{{tickRequestedAt:O}}","jobId":"timer:202612060900"}""";

        var outcome = await app.Host.Services.GetRequiredService<SyncJobs>().HandleDeliveredAsync(tick, ct);

        Assert.Equal("recorded", recorded);
        Assert.True(before >= 3, $"the first sync made {before} requests");
        Assert.Equal(JobOutcome.Duplicate, outcome);
        Assert.Equal(before, mailbox.RequestCount);
    }
}
