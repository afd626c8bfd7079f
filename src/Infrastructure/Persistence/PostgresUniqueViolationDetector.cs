using Microsoft.EntityFrameworkCore;
using Npgsql;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Infrastructure.Persistence;

internal sealed class PostgresUniqueViolationDetector : IUniqueViolationDetector
{
    public bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
