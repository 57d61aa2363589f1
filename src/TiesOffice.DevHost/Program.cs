using TiesOffice.DevHost;
using TiesOffice.Web;

var builder = WebApplication.CreateBuilder(args);
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
}

app.Run();

/// <summary>Visible to the end-to-end tests' WebApplicationFactory.</summary>
public partial class Program;
