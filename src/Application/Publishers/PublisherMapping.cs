using Mapster;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.Application.Publishers;

internal sealed class PublisherMapping : IRegister
{
    public void Register(TypeAdapterConfig config) =>
        config.NewConfig<Publisher, PublisherResponse>()
            .MapToConstructor(true);
}
