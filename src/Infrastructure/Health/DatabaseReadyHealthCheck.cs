using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RuralRegistry.Infrastructure.Persistence;

namespace RuralRegistry.Infrastructure.Health;

/// <summary>Ready means: the database answers and every migration this build knows has been applied.</summary>
internal sealed class DatabaseReadyHealthCheck(RegistryDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            return pending.Count == 0
                ? HealthCheckResult.Healthy("The database answers and its schema is current.")
                : HealthCheckResult.Unhealthy($"The database answers but {pending.Count} migration(s) are not applied.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", exception);
        }
    }
}
