namespace RuralRegistry.Application.Imports;

/// <summary>An import body as received: its import's id (the body is kept under it), its format, SHA-256 (over the options too) and length.</summary>
public sealed record ReceivedBody(Guid ImportId, ImportFormat Format, string Hash, long Bytes);

/// <summary>
/// Import bodies kept in the database while their import is unfinished, so that any API process can run an import
/// another received (after the first died, or stopped). A body is streamed in and out in pieces: a body of any
/// length needs one piece of memory, never the whole.
/// </summary>
public interface IImportBodyStore
{
    /// <summary>
    /// Keeps the body under <paramref name="importId"/> as it is read, hashing <paramref name="hashPrefix"/> and the
    /// bytes; null when it grew beyond <paramref name="maxBytes"/> (what was kept of it is deleted).
    /// </summary>
    Task<ReceivedBody?> ReceiveAsync(Guid importId, ImportFormat format, Stream body, byte[] hashPrefix, long maxBytes, CancellationToken cancellationToken);

    /// <summary>The kept body, read piece by piece (each piece a short query of its own).</summary>
    Stream Open(Guid importId);

    Task<bool> ExistsAsync(Guid importId, CancellationToken cancellationToken);

    Task DeleteAsync(Guid importId, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the pieces of bodies no unfinished import claims that were written more than <paramref name="age"/>
    /// ago (a body still being received has no import yet); returns how many pieces went.
    /// </summary>
    Task<int> DeleteLeftoversAsync(TimeSpan age, CancellationToken cancellationToken);
}

/// <summary>An import's body is not (or no longer) kept: it cannot be run.</summary>
public sealed class ImportBodyMissingException(Guid importId) : Exception($"The body of import {importId} is not kept in the database.")
{
    public Guid ImportId => importId;
}
