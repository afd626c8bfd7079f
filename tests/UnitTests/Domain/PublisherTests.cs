using RuralRegistry.Domain.Common;
using RuralRegistry.Domain.Publishers;

namespace RuralRegistry.UnitTests.Domain;

public sealed class PublisherTests
{
    [Theory]
    [InlineData("pl-ksow")]
    [InlineData("lv-lad")]
    [InlineData("bg-mig-lyaskovets-2")]
    [InlineData("ab")]
    public void Valid_codes_are_accepted(string candidate)
    {
        Assert.True(PublisherCode.TryCreate(candidate, out var code, out var error));
        Assert.Equal(candidate, code.Value);
        Assert.Null(error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("PL-KSOW")]
    [InlineData("pl ksow")]
    [InlineData("pl--ksow")]
    [InlineData("-pl")]
    [InlineData("pl-")]
    [InlineData("łódź")]
    [InlineData("pl_ksow")]
    public void Invalid_codes_are_refused_with_a_reason(string? candidate)
    {
        Assert.False(PublisherCode.TryCreate(candidate, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void Codes_longer_than_64_characters_are_refused()
    {
        Assert.True(PublisherCode.TryCreate(new string('a', 64), out _, out _));
        Assert.False(PublisherCode.TryCreate(new string('a', 65), out _, out _));
    }

    [Fact]
    public void Create_gives_a_version_7_id_and_trims_the_name()
    {
        var now = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

        var publisher = Publisher.Create(PublisherCode.Create("lt-kt"), "  Lietuvos kaimo tinklas ", now);

        Assert.Equal(7, publisher.Id.Version);
        Assert.Equal("lt-kt", publisher.Code);
        Assert.Equal("Lietuvos kaimo tinklas", publisher.Name);
        Assert.Equal(now, publisher.CreatedAt);
        Assert.Equal(now, publisher.UpdatedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_publisher_cannot_exist_without_a_name(string name)
    {
        Assert.Throws<DomainException>(() => Publisher.Create(PublisherCode.Create("lt-kt"), name, DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_publisher_cannot_exist_without_a_code()
    {
        Assert.Throws<DomainException>(() => Publisher.Create(default, "Name", DateTimeOffset.UtcNow));
    }

    [Fact]
    public void A_name_longer_than_the_limit_is_refused()
    {
        Assert.Throws<DomainException>(() => Publisher.Create(PublisherCode.Create("lt-kt"), new string('x', Publisher.NameMaxLength + 1), DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Rename_changes_the_name_and_the_update_time()
    {
        var created = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var publisher = Publisher.Create(PublisherCode.Create("lt-kt"), "Old", created);

        publisher.Rename("Naujas", created.AddDays(1));

        Assert.Equal("Naujas", publisher.Name);
        Assert.Equal(created, publisher.CreatedAt);
        Assert.Equal(created.AddDays(1), publisher.UpdatedAt);
    }
}
