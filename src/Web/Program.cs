using System.Text.Json.Serialization;
using RuralRegistry.Application;
using RuralRegistry.Infrastructure;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Web.Audit;
using RuralRegistry.Web.Changes;
using RuralRegistry.Web.Demo;
using RuralRegistry.Web.Exports;
using RuralRegistry.Web.Health;
using RuralRegistry.Web.Imports;
using RuralRegistry.Web.Http;
using RuralRegistry.Web.OpenApi;
using RuralRegistry.Web.Problems;
using RuralRegistry.Web.Partners;
using RuralRegistry.Web.Projects;
using RuralRegistry.Web.Publishers;
using RuralRegistry.Web.Reference;
using RuralRegistry.Web.Security;
using RuralRegistry.Web.Statistics;

var builder = WebApplication.CreateBuilder(args);

// A background loop that fails (the database away, a bug) is logged by the host and must not end the process and
// every request with it; each loop also catches, logs and carries on by itself.
builder.Services.Configure<HostOptions>(options => options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore);

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    HardeningSetup.Limit(kestrel.Limits);
});
builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
    options.SerializerOptions.Converters.Add(new RuralRegistry.Web.Imports.ImportResultJson());
    options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.KebabCaseLower, allowIntegerValues: false));
    options.SerializerOptions.MaxDepth = RequestLimits.MaxJsonDepth;
});
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.AddRegistryProblemDetails();
builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
builder.Services.AddApplication();
builder.Services.AddSingleton<RuralRegistry.Application.Abstractions.IFailureProblems, RuralRegistry.Web.Problems.ImportRecordProblems>();
builder.Services.AddInfrastructure(builder.Configuration);
builder.Services.AddRegistrySecurity(builder.Configuration);
builder.Services.AddRegistryHardening(builder.Configuration);
builder.Services.AddRegistryRateLimits(builder.Configuration);
builder.Services.AddRegistryImports(builder.Configuration);
builder.Services.AddProjectStatusSchedule(builder.Configuration);
builder.Services.AddRegistrySwagger();
builder.Services.AddTeachingProblems();
builder.Services.AddResponseCompression(options =>
{
    options.EnableForHttps = true;
    options.MimeTypes = [ExportsApi.NdjsonMediaType, ExportsApi.CsvMediaType];
});

var app = builder.Build();

switch (args)
{
    case ["migrate", ..]:
        await DatabaseMigrator.MigrateAsync(app.Services);
        return 0;
    case ["load-demo", var directory, ..]:
        return await DemoLoader.RunAsync(app.Services, directory, CancellationToken.None);
}

if (app.Configuration.GetValue<bool>("Database:MigrateOnStartup"))
{
    await DatabaseMigrator.MigrateAsync(app.Services);
}

app.UseResponseCompression();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseRegistryHardening();
app.UseMalformedIdProblems();
app.UseSwagger();
app.UseSwaggerUI(options =>
{
    options.DocumentTitle = "Rural Network Projects Registry API";
    options.SwaggerEndpoint($"/swagger/{SwaggerSetup.DocumentName}/swagger.json", "Registry API v1");
});
app.UseRegistryReDoc();
app.UseAuthentication();
app.UseRegistryRateLimits();
app.UseAuditLog();
app.UseAuthorization();
app.UseOutageRetry();

app.MapHealth();
app.MapPublishers();
app.MapProjects();
app.MapPartners();
app.MapReference();
app.MapChanges();
app.MapExports();
app.MapStatistics();
app.MapAudit();
app.MapImports();

await app.RunAsync();
return 0;

/// <summary>The web host's entry point; public so integration tests can start it in memory.</summary>
public partial class Program;
