using Mapster;
using Microsoft.EntityFrameworkCore;
using RuralRegistry.Application.Abstractions;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Publishers;

/// <summary>A new publisher.</summary>
/// <param name="Code">Stable code: lowercase letters and digits in dash-joined words, 2 to 64 characters, e.g. <c>pl-ksow</c>.</param>
/// <param name="Name">The publisher's name, 1 to 200 characters.</param>
public sealed record CreatePublisherRequest(string? Code, string? Name);

/// <summary>Registers a publisher; its code is unique.</summary>
public sealed class CreatePublisher(IRegistryDbContext db, IUniqueViolationDetector uniqueViolations, TypeAdapterConfig mapping, TimeProvider clock)
{
    public async Task<Result<PublisherResponse>> HandleAsync(CreatePublisherRequest request, CancellationToken cancellationToken)
    {
        var errors = Validate(request, out var code);
        if (errors.Count > 0)
        {
            return errors;
        }

        if (await db.Publishers.AnyAsync(p => p.Code == code.Value, cancellationToken))
        {
            return Conflict(code);
        }

        var publisher = Publisher.Create(code, request.Name!, clock.GetUtcNow());
        db.Publishers.Add(publisher);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (uniqueViolations.IsUniqueViolation(exception))
        {
            return Conflict(code);
        }

        return publisher.Adapt<PublisherResponse>(mapping);
    }

    private static Failure Conflict(PublisherCode code) =>
        Failure.Conflict($"A publisher with the code '{code}' exists already.");

    private static List<FieldError> Validate(CreatePublisherRequest request, out PublisherCode code)
    {
        var errors = new List<FieldError>();
        if (!PublisherCode.TryCreate(request.Code, out code, out var codeError))
        {
            errors.Add(FieldError.Body("/code", codeError!));
        }

        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors.Add(FieldError.Body("/name", "A name is required."));
        }
        else if (name.Length > Publisher.NameMaxLength)
        {
            errors.Add(FieldError.Body("/name", $"A name has at most {Publisher.NameMaxLength} characters."));
        }

        return errors;
    }
}
