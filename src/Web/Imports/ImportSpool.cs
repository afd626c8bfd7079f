using System.Security.Cryptography;
using System.Text;
using RuralRegistry.Application.Imports;

namespace RuralRegistry.Web.Imports;

/// <summary>An import body kept on disk while it is imported, with its SHA-256 (over the options too) for idempotency.</summary>
internal sealed record SpooledBody(string Path, ImportFormat Format, string Hash, long Bytes);

/// <summary>
/// Receives an import body into a file, never holding it in memory: the import starts only once the body is
/// whole, so a connection dropped mid-body leaves nothing behind but a deleted file.
/// </summary>
internal static class ImportSpool
{
    private const string Prefix = "registry-import-";

    public static string Directory(ImportSettings settings) =>
        string.IsNullOrWhiteSpace(settings.SpoolDirectory) ? System.IO.Path.GetTempPath() : settings.SpoolDirectory;

    /// <summary>The body on disk, or null when it grew beyond <see cref="ImportSettings.MaxBodyBytes"/> (the partial file is deleted).</summary>
    public static async Task<SpooledBody?> ReceiveAsync(Stream body, ImportFormat format, string options, ImportSettings settings, CancellationToken cancellationToken)
    {
        var directory = Directory(settings);
        System.IO.Directory.CreateDirectory(directory);
        var path = System.IO.Path.Combine(directory, $"{Prefix}{Guid.NewGuid():N}.body");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{format}\n{options}\n"));
        long bytes = 0;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous))
            {
                var buffer = new byte[64 * 1024];
                int read;
                while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    bytes += read;
                    if (bytes > settings.MaxBodyBytes)
                    {
                        Delete(path);
                        return null;
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            return new SpooledBody(path, format, Convert.ToHexStringLower(hash.GetHashAndReset()), bytes);
        }
        catch
        {
            Delete(path);
            throw;
        }
    }

    public static FileStream Open(SpooledBody body) =>
        new(body.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);

    public static void Delete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // A body left behind is removed at the next start (DeleteLeftovers); it holds nothing secret beyond what was imported.
        }
    }

    /// <summary>Removes bodies left by a process that stopped while importing them.</summary>
    public static void DeleteLeftovers(ImportSettings settings, DateTime before)
    {
        var directory = Directory(settings);
        if (!System.IO.Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(directory, $"{Prefix}*.body"))
        {
            if (File.GetLastWriteTimeUtc(file) < before)
            {
                Delete(file);
            }
        }
    }
}
