using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace TiesOffice.Functions;

/// <summary>Liveness probe.</summary>
public static class HealthFunction
{
    /// <summary>Answers 200 while the worker runs.</summary>
    [Function("Health")]
    public static IResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest request) =>
        Results.Ok(new { status = "ok" });
}
