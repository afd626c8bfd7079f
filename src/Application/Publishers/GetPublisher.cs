using Mapster;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;

namespace RuralRegistry.Application.Publishers;

/// <summary>Finds one publisher by its code.</summary>
public sealed class GetPublisher(IRegistryDbContext db, TypeAdapterConfig mapping)
{
    public Task<PublisherResponse?> HandleAsync(string code, CancellationToken cancellationToken) =>
        db.Publishers.AsNoTracking()
            .Where(p => p.Code == code)
            .ProjectToType<PublisherResponse>(mapping)
            .SingleOrDefaultAsync(cancellationToken);
}
