using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>The API with small import batches and limits, so a few records cross batch boundaries and the limits.</summary>
public class ImportsApiFactory : RegistryApiFactory
{
    public const int BatchSize = 2;
    public const int MaxRecords = 40;
    public const int MaxBodyBytes = 64 * 1024;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Imports:BatchSize", BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Imports:MaxRecords", MaxRecords.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Imports:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

/// <summary>A second API process over the database of another factory: what a restart looks like to the data.</summary>
public sealed class RestartedApiFactory(string connectionString) : RegistryApiFactory
{
    protected override bool OwnsDatabase => false;

    public override Task InitializeAsync()
    {
        SetConnectionString(connectionString);
        return Task.CompletedTask;
    }
}
