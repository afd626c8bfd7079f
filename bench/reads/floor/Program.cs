// The floor under GET /v1/projects/{id} on this machine: what bare ASP.NET Core (no middleware, no telemetry, no
// problem details) costs per request, with and without the database. Three routes, each answering as the API does
// (a strong ETag, 304 when If-None-Match names the version, the stored bytes as application/json otherwise):
//   /const/{id}  no database: the bytes and version of one stored project, read once at start;
//   /db/{id}     the API's by-id statement (StoredProjectQueries.ById), prepared, one pooled connection per request;
//   /version/{id} the version lookup alone (SELECT version FROM registry.projects WHERE id = $1), the 304's minimum.
using Npgsql;
using NpgsqlTypes;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connectionString = builder.Configuration.GetConnectionString("Registry")
    ?? throw new InvalidOperationException("ConnectionStrings:Registry is not set.");
await using var dataSource = new NpgsqlDataSourceBuilder(connectionString + ";Max Auto Prepare=20;Auto Prepare Min Usages=2;No Reset On Close=true").Build();

const string ById =
    "SELECT p.version, p.deleted_at, $3 OR p.version = ANY($2), CASE WHEN $3 OR p.version = ANY($2) THEN NULL ELSE r.body END " +
    "FROM registry.projects p LEFT JOIN registry.project_representations r ON r.id = p.id WHERE p.id = $1";
const string VersionOnly = "SELECT version FROM registry.projects WHERE id = $1";

(long Version, byte[] Body) constant;
await using (var command = dataSource.CreateCommand("SELECT p.version, r.body FROM registry.projects p JOIN registry.project_representations r ON r.id = p.id LIMIT 1"))
await using (var reader = await command.ExecuteReaderAsync())
{
    await reader.ReadAsync();
    constant = (reader.GetInt64(0), reader.GetFieldValue<byte[]>(1));
}

var app = builder.Build();

app.MapGet("/const/{id:guid}", (Guid id, HttpContext http) => Answer(http, constant.Version, Held(http, constant.Version) ? null : constant.Body));

app.MapGet("/db/{id:guid}", async (Guid id, HttpContext http) =>
{
    var held = HeldVersion(http);
    await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
    await using var command = new NpgsqlCommand(ById, connection);
    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
    command.Parameters.Add(new NpgsqlParameter { Value = held is { } v ? new[] { v } : Array.Empty<long>(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
    command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = false });
    await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, http.RequestAborted);
    if (!await reader.ReadAsync(http.RequestAborted))
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return;
    }

    var version = reader.GetInt64(0);
    await Answer(http, version, reader.GetBoolean(2) ? null : reader.GetFieldValue<byte[]>(3));
});

app.MapGet("/version/{id:guid}", async (Guid id, HttpContext http) =>
{
    await using var connection = await dataSource.OpenConnectionAsync(http.RequestAborted);
    await using var command = new NpgsqlCommand(VersionOnly, connection);
    command.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = id });
    var version = (long)(await command.ExecuteScalarAsync(http.RequestAborted))!;
    http.Response.Headers.ETag = $"\"{version}\"";
    http.Response.StatusCode = StatusCodes.Status304NotModified;
});

app.Run();

static long? HeldVersion(HttpContext http) =>
    http.Request.Headers.IfNoneMatch.ToString() is { Length: > 2 } tag && long.TryParse(tag.AsSpan(1, tag.Length - 2), out var version) ? version : null;

static bool Held(HttpContext http, long version) => HeldVersion(http) == version;

static Task Answer(HttpContext http, long version, byte[]? body)
{
    http.Response.Headers.ETag = $"\"{version}\"";
    if (body is null)
    {
        http.Response.StatusCode = StatusCodes.Status304NotModified;
        return Task.CompletedTask;
    }

    http.Response.ContentType = "application/json";
    http.Response.ContentLength = body.Length;
    return http.Response.Body.WriteAsync(body).AsTask();
}
