using TiesOffice.DevHost;
using TiesOffice.Web;

var builder = WebApplication.CreateBuilder(args);
if (builder.Environment.IsDevelopment())
{
    // The local issuer's client id and audience, under every other source so AzureAd__* from the environment wins.
    DevLogin.AddDefaults(builder.Configuration);
    builder.Services.AddSingleton<DevLogin>();
}

builder.AddTiesOffice();
builder.Services.AddHostedService<StorageStartup>();
builder.Services.AddHostedService<QueueWorker>();
builder.Services.AddHostedService<SyncScheduler>();
builder.Services.AddSingleton<DemoOperations>();
builder.Services.AddHttpClient();

var app = builder.Build();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapTiesOffice();
if (app.Environment.IsDevelopment())
{
    // Local-only operations for the demo and the end-to-end tests; never mapped outside Development.
    app.MapDevApi();
    app.MapDevLogin();
    app.MapPanePreview();
    app.Lifetime.ApplicationStarted.Register(() => DevLogin.PointInstanceHere(app));
}

app.UseTabFiles();

app.Run();

/// <summary>Visible to the end-to-end tests' WebApplicationFactory.</summary>
public partial class Program;
