namespace RuralRegistry.IntegrationTests.Fixtures;

public static class TestPaths
{
    /// <summary>The repository's root: the folder above the test binaries that holds Api.sln.</summary>
    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Api.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Api.sln not found above the test binaries.");
    }

    public static string Demo(params string[] parts) => Path.Combine([RepositoryRoot(), "deploy", "demo", .. parts]);
}
