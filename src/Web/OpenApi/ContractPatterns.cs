using RuralRegistry.Domain.Common;

namespace RuralRegistry.Web.OpenApi;

/// <summary>
/// The contract's patterns, each written from the syntax the domain's own check uses, so the contract and the
/// validators cannot drift apart. (.NET anchors an end with <c>\z</c>; the contract's ECMA-262 patterns with <c>$</c>.)
/// </summary>
internal static class ContractPatterns
{
    public const string Uuid = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
    public const string Country = "^[A-Z]{2}$";
    public const string Currency = "^[A-Z]{3}$";
    public const string PageToken = "^[A-Za-z0-9_-]+$";
    public const string WebUrl = "^https?://";

    /// <summary>Decimal text in a query (budgetMin, budgetMax): any non-negative decimal.</summary>
    public const string QueryAmount = @"^[0-9]+(\.[0-9]+)?$";

    public static readonly string Amount = Anchored(Money.AmountSyntax);
    public static readonly string Slug = Anchored(Domain.Common.Slug.Syntax);
    public static readonly string PublisherCode = Anchored(Domain.Publishers.PublisherCode.Syntax);
    public static readonly string Region = Anchored(RegionCode.Syntax);
    public static readonly string LanguageTag = Anchored(Domain.Common.LanguageTag.Syntax);
    public static readonly string PartialDate = Anchored(Domain.Common.PartialDate.Syntax);

    /// <summary>Non-blank text: at least one character that is not white space.</summary>
    public const string NotBlank = @"\S";

    /// <summary>
    /// An externalId as <c>Project.IsValidExternalId</c> takes it: no control characters, no white space at either end.
    /// </summary>
    public const string ExternalId = @"^[^\s\u0000-\u001F\u007F-\u009F](?:[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F])?$";

    private static string Anchored(string syntax) => $"^{syntax}$";
}
