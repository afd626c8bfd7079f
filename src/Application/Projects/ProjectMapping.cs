using Mapster;
using RuralRegistry.Application.Common;
using RuralRegistry.Domain.Common;

namespace RuralRegistry.Application.Projects;

/// <summary>How domain value objects read in the API's representation.</summary>
internal sealed class ProjectMapping : IRegister
{
    public void Register(TypeAdapterConfig config)
    {
        config.NewConfig<LocalizedText, Dictionary<string, string?>>().MapWith(text => text.ToDictionary(e => e.Key, e => (string?)e.Value));
        config.NewConfig<LocalizedText, IReadOnlyDictionary<string, string>>().MapWith(text => text);
        config.NewConfig<PartialDate, string>().MapWith(date => date.ToString());
        config.NewConfig<CountryCode, string>().MapWith(country => country.Value);
        config.NewConfig<RegionCode, string>().MapWith(region => region.Value);
        config.NewConfig<LanguageTag, string>().MapWith(tag => tag.Value);
        config.NewConfig<Money, MoneyDto>().MapWith(money => new MoneyDto(money.AmountText, money.Currency));
    }
}
