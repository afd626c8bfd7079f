using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using RuralRegistry.Application.Imports;
using RuralRegistry.Domain.Imports;

namespace RuralRegistry.Infrastructure.Persistence.Imports;

/// <summary>
/// Import bodies in <c>registry.import_body_chunks</c>, pieces of <see cref="ImportBodyChunk.MaxBytes"/>, each written
/// and read by a statement of its own on a connection of its own (never in an import's transaction).
/// </summary>
internal sealed class ImportBodyStore(RegistryDbContext db) : IImportBodyStore
{
    private const string Unfinished = "state IN ('Queued', 'Running')";

    private readonly string? _connectionString = db.Database.GetConnectionString();

    public async Task<ReceivedBody?> ReceiveAsync(Guid importId, ImportFormat format, Stream body, byte[] hashPrefix, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(hashPrefix);
        var buffer = new byte[ImportBodyChunk.MaxBytes];
        long bytes = 0;
        var sequence = 0;
        try
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(cancellationToken);
            while (true)
            {
                var filled = await FillAsync(body, buffer, cancellationToken);
                if (filled == 0 && sequence > 0)
                {
                    break;
                }

                bytes += filled;
                if (bytes > maxBytes)
                {
                    await DeleteAsync(importId, CancellationToken.None);
                    return null;
                }

                hash.AppendData(buffer, 0, filled);
                await using (var insert = new NpgsqlCommand("INSERT INTO registry.import_body_chunks (import_id, sequence, data) VALUES ($1, $2, $3)", connection))
                {
                    insert.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
                    insert.Parameters.Add(new NpgsqlParameter { Value = sequence++, NpgsqlDbType = NpgsqlDbType.Integer });
                    insert.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { TypedValue = buffer.AsMemory(0, filled), NpgsqlDbType = NpgsqlDbType.Bytea });
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                if (filled < buffer.Length)
                {
                    break;
                }
            }
        }
        catch
        {
            await TryDeleteAsync(importId);
            throw;
        }

        return new ReceivedBody(importId, format, Convert.ToHexStringLower(hash.GetHashAndReset()), bytes);
    }

    public Stream Open(Guid importId) => new ChunkStream(_connectionString, importId);

    public async Task<bool> ExistsAsync(Guid importId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM registry.import_body_chunks WHERE import_id = $1 AND sequence = 0)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public async Task DeleteAsync(Guid importId, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("DELETE FROM registry.import_body_chunks WHERE import_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<int> DeleteLeftoversAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            DELETE FROM registry.import_body_chunks c
             WHERE c.received_at < now() - $1
               AND NOT EXISTS (SELECT 1 FROM registry.imports i WHERE i.id = c.import_id AND i.{Unfinished})
            """,
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = age, NpgsqlDbType = NpgsqlDbType.Interval });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task TryDeleteAsync(Guid importId)
    {
        try
        {
            await DeleteAsync(importId, CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The database is away: the pieces have no import, and the sweep removes them later.
        }
    }

    /// <summary>Reads until the buffer is full or the body ends.</summary>
    private static async Task<int> FillAsync(Stream body, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        int read;
        while (filled < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        return filled;
    }

    /// <summary>A kept body as a forward-only stream: one piece in memory at a time, each read by a query of its own.</summary>
    private sealed class ChunkStream(string? connectionString, Guid importId) : Stream
    {
        private byte[] _piece = [];
        private int _offset;
        private int _next;
        private bool _ended;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            while (_offset == _piece.Length)
            {
                if (_ended || !await NextAsync(cancellationToken))
                {
                    _ended = true;
                    return 0;
                }
            }

            var count = Math.Min(buffer.Length, _piece.Length - _offset);
            _piece.AsMemory(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private async Task<bool> NextAsync(CancellationToken cancellationToken)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT data FROM registry.import_body_chunks WHERE import_id = $1 AND sequence = $2", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = importId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new NpgsqlParameter { Value = _next, NpgsqlDbType = NpgsqlDbType.Integer });
            if (await command.ExecuteScalarAsync(cancellationToken) is not byte[] piece)
            {
                if (_next == 0)
                {
                    throw new ImportBodyMissingException(importId);
                }

                return false;
            }

            _next++;
            _piece = piece;
            _offset = 0;
            return true;
        }
    }
}
