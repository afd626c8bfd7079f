using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Tells PostgreSQL's and Npgsql's failures apart for the retry policies (Application's <c>RegistryResilience</c>):
/// a lost race (unique violation, deadlock, serialization failure) and the database being unavailable for now.
/// </summary>
internal sealed class PostgresFailures : IUniqueViolationDetector
{
    public bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public bool IsTransient(Exception exception) =>
        (exception as PostgresException ?? exception.InnerException as PostgresException) is
            { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    /// <summary>Walks the exception and its causes (EF Core wraps the driver's): the first that PostgreSQL or the driver raised decides.</summary>
    public bool IsUnavailable(Exception exception)
    {
        for (var cause = exception; cause is not null; cause = cause.InnerException)
        {
            switch (cause)
            {
                case PostgresException postgres:
                    return postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exceptions
                        || postgres.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                            or PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.ConfigurationLimitExceeded;
                case NpgsqlException npgsql:
                    // Refused or dropped sockets, connect and pool timeouts: the driver marks them transient.
                    return npgsql.IsTransient;
                case System.Net.Sockets.SocketException or TimeoutException:
                    return true;
            }
        }

        return false;
    }
}
