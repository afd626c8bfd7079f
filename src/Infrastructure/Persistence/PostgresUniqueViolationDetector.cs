using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

internal sealed class PostgresUniqueViolationDetector : IUniqueViolationDetector
{
    public bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public bool IsTransient(Exception exception) =>
        (exception as PostgresException ?? exception.InnerException as PostgresException) is
            { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };
}
