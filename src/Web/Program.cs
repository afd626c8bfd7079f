using RuralRegistry.Application;
using RuralRegistry.Infrastructure;
using RuralRegistry.Infrastructure.Persistence;
using RuralRegistry.Web.Audit;
using RuralRegistry.Web.Changes;
using RuralRegistry.Web.Demo;
using RuralRegistry.Web.Exports;
using RuralRegistry.Web.FrontDoor;
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
using RuralRegistry.Web.Telemetry;

var builder = WebApplication.CreateBuilder(args);

// A background loop that fails (the database away, a bug) is logged by the host and must not end the process and
// every request with it; each loop also catches, logs and carries on by itself.
// On SIGTERM the host stops within Host:ShutdownTimeoutSeconds (25 by default; deploy/k8s gives the pod 30 s): in-flight
// requests finish, a running import is handed back (its lease released, so another process takes it over at once).
builder.Services.Configure<HostOptions>(options =>
{
    options.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.Ignore;
    options.ShutdownTimeout = TimeSpan.FromSeconds(Math.Max(1, builder.Configuration.GetValue("Host:ShutdownTimeoutSeconds", 25)));
});

// The one-line console format's timestamp ends in a space (appsettings.json); a JSON line's Timestamp field takes none.
builder.Services.PostConfigure<Microsoft.Extensions.Logging.Console.JsonConsoleFormatterOptions>(options => options.TimestampFormat = options.TimestampFormat?.TrimEnd());

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.AddServerHeader = false;
    HardeningSetup.Limit(kestrel.Limits);
});
builder.Services.ConfigureHttpJsonOptions(options =>
{
    // A number is a JSON number, as the contract says (the web defaults also read "12" as 12); only a money's amount
    // takes text or a number, by its own converter.
    options.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
    options.SerializerOptions.Converters.Add(new RuralRegistry.Web.Imports.ImportResultJson());
    // The representations' settings, which the stored representations are rendered with too.
    RuralRegistry.Application.Common.RepresentationJson.Configure(options.SerializerOptions);
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
builder.Services.AddRegistrySwagger();
builder.Services.AddTeachingProblems();
builder.Services.AddRegistryTelemetry(builder.Configuration);
builder.Services.AddSingleton<FrontDoorPage.CountsCache>();
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

app.UseReadRouting();
app.UseResponseCompression();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRequestBodyLimit();
app.UseRegistryHardening();
app.UseMalformedIdProblems();
// The contract, Swagger UI and ReDoc live under /swagger and /docs: only those requests pass their three middlewares
// (each matched every request's path against its own templates: about 2% of the samples of a GET by id in a perf profile).
app.UseWhen(context => context.Request.Path.StartsWithSegments("/swagger") || context.Request.Path.StartsWithSegments("/docs"), docs =>
{
    docs.UseSwagger();
    docs.UseSwaggerUI(options =>
    {
        options.DocumentTitle = "Rural Network Projects Registry API";
        options.SwaggerEndpoint($"/swagger/{SwaggerSetup.DocumentName}/swagger.json", "Registry API v1");
    });
    docs.UseRegistryReDoc();
});
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
app.MapRegistryTelemetry();
app.MapFrontDoor();

await app.RunAsync();
return 0;

/// <summary>The web host's entry point; public so integration tests can start it in memory.</summary>
public partial class Program;
