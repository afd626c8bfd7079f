namespace RuralRegistry.IntegrationTests.Faults;

/// <summary>
/// The fault tests run alone: they stop and restart a database server and run long imports, and their timing bounds
/// (a lease, a stall) and the other classes' (writes within a window) should not measure each other's load.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultsCollection
{
    public const string Name = "Faults";
}
