using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace TiesOffice.Web.Apis;

/// <summary>A liveness probe.</summary>
public static class HealthApi
{
    /// <summary>The route (relative to the host's <c>/api</c> prefix).</summary>
    public const string Route = "health";

    /// <summary>Answers 200 while the host runs.</summary>
    /// <returns>The status.</returns>
    public static Ok<HealthStatus> Get() => TypedResults.Ok(new HealthStatus("ok"));
}

/// <summary>The health answer.</summary>
/// <param name="Status">Always <c>ok</c> when answered.</param>
public sealed record HealthStatus(string Status);
