using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace RuralRegistry.Infrastructure.Persistence;

/// <summary>
/// Where reads may go: <c>ConnectionStrings:RegistryReplicas</c>, when set, is an Npgsql multi-host connection string
/// (the standbys first, then the primary, with <c>Target Session Attributes=prefer-standby</c> and
/// <c>Load Balance Hosts=true</c>), so reads go to a standby while one answers and to the primary when none does.
/// Without it every read goes to the primary.
/// </summary>
public sealed class ReadReplicaSettings
{
    public const string ConnectionStringName = "RegistryReplicas";

    /// <summary>The key of the <see cref="NpgsqlDataSource"/> of the read route in the service container.</summary>
    public const string ReadsKey = "reads";

    /// <summary>The key of the primary's <see cref="NpgsqlDataSource"/>, for what must be read there (the change feed's bound).</summary>
    public const string PrimaryKey = "primary";

    public required string PrimaryConnectionString { get; init; }

    public string? ReplicaConnectionString { get; init; }

    public bool Configured => ReplicaConnectionString is not null;

    /// <summary>
    /// How long an export read on a standby waits for the standby to replay what the primary had committed when the
    /// export's change cursor was taken (so every change up to the cursor is in the export), before it gives up (503).
    /// </summary>
    public TimeSpan CatchUpTimeout { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>
/// The route of one request's reads (a scoped service): the primary unless the web layer said, before the request's
/// first database use, that its reads may go to a replica (anonymous reads). Notes whether a connection it served
/// was a standby's (PostgreSQL reports <c>in_hot_standby</c> on every connection), so the answer can say so.
/// </summary>
public sealed class ReadRoute(
    ReadReplicaSettings settings,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(ReadReplicaSettings.ReadsKey)] NpgsqlDataSource reads,
    [Microsoft.Extensions.DependencyInjection.FromKeyedServices(ReadReplicaSettings.PrimaryKey)] NpgsqlDataSource primary)
{
    private bool _fixed;
    private int _standby;

    /// <summary>True when this request's reads go through the replicas' connection string.</summary>
    public bool OnReplicas { get; private set; }

    /// <summary>True once a connection of this request was opened on a standby.</summary>
    public bool ServedByStandby => Volatile.Read(ref _standby) == 1;

    /// <summary>
    /// The data source of this request's reads: the replicas' when routed there, else the primary's. Taking it is a use
    /// of the database, so it fixes the route, as making the request's context does (plain Npgsql readers, such as a
    /// project by id, make none).
    /// </summary>
    public NpgsqlDataSource DataSource
    {
        get
        {
            _fixed = true;
            return OnReplicas ? reads : primary;
        }
    }

    /// <summary>The primary's data source, whatever the route.</summary>
    public NpgsqlDataSource Primary => primary;

    /// <summary>Sends this request's reads to the replicas (when configured). Only before its first database use.</summary>
    public void UseReplicas()
    {
        if (_fixed)
        {
            throw new InvalidOperationException("The read route is chosen before the request's first database use.");
        }

        OnReplicas = settings.Configured;
    }

    /// <summary>Fixes the route: called when the request's context is made (and by <see cref="DataSource"/>).</summary>
    internal void Fix() => _fixed = true;

    /// <summary>Notes the server an open connection of this request is on (plain Npgsql readers call it too).</summary>
    public void Note(NpgsqlConnection connection)
    {
        if (connection.PostgresParameters.TryGetValue("in_hot_standby", out var standby) && standby == "on")
        {
            Volatile.Write(ref _standby, 1);
        }
    }

    /// <summary>The interceptor that notes each connection EF Core opens for this request.</summary>
    internal DbConnectionInterceptor Interceptor => new Noting(this);

    /// <summary>
    /// Waits, on the open connection of a read that must hold every change below a bound taken on the primary,
    /// until the server (if a standby) has replayed the primary's WAL up to <paramref name="primaryLsn"/>: a
    /// standby that lags would else miss changes below the bound. A standby that does not catch up within
    /// <see cref="ReadReplicaSettings.CatchUpTimeout"/> fails the read as unavailable (503, Retry-After).
    /// </summary>
    public async Task CatchUpAsync(DbConnection connection, string primaryLsn, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.CatchUpTimeout;
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= @lsn::pg_lsn";
            var lsn = command.CreateParameter();
            lsn.ParameterName = "lsn";
            lsn.Value = primaryLsn;
            command.Parameters.Add(lsn);
            if (await command.ExecuteScalarAsync(cancellationToken) is true)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The standby has not replayed the primary's changes up to {primaryLsn} within {settings.CatchUpTimeout.TotalSeconds} s.");
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }

    private sealed class Noting(ReadRoute route) : DbConnectionInterceptor
    {
        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => NoteIfNpgsql(connection);

        public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            NoteIfNpgsql(connection);
            return Task.CompletedTask;
        }

        private void NoteIfNpgsql(DbConnection connection)
        {
            if (connection is NpgsqlConnection npgsql)
            {
                route.Note(npgsql);
            }
        }
    }
}
