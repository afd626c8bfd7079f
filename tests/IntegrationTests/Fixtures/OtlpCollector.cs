using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace RuralRegistry.IntegrationTests.Fixtures;

/// <summary>
/// An OTLP/HTTP receiver as a collector runs it (<c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>, protobuf
/// bodies), on a free loopback port: it keeps every body it is sent and answers 200, so a test can read what a real
/// process exported over real HTTP.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, string ContentType, byte[] Body)> _received = new();

    private OtlpCollector(WebApplication app) => _app = app;

    /// <summary>The base address to give <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary>Every export received so far: its signal (traces, metrics, logs), content type and body.</summary>
    public IReadOnlyList<(string Signal, string ContentType, byte[] Body)> Received => [.. _received];

    public static async Task<OtlpCollector> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var collector = new OtlpCollector(app);
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            collector._received.Enqueue((signal, request.ContentType ?? string.Empty, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync();
        collector.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return collector;
    }

    /// <summary>Waits (up to <paramref name="within"/>) until an export of <paramref name="signal"/> holds a message that matches, and returns it.</summary>
    public async Task<Protobuf> WaitForAsync(string signal, Func<Protobuf, IEnumerable<Protobuf>> items, Func<Protobuf, bool> match, TimeSpan within)
    {
        for (var waited = System.Diagnostics.Stopwatch.StartNew(); waited.Elapsed < within; await Task.Delay(100))
        {
            foreach (var (_, _, body) in _received.Where(r => r.Signal == signal))
            {
                if (items(Protobuf.Parse(body)).FirstOrDefault(match) is { } found)
                {
                    return found;
                }
            }
        }

        throw new Xunit.Sdk.XunitException(
            $"No {signal} export matched within {within}; received: {string.Join(", ", _received.Select(r => $"{r.Signal} ({r.Body.Length} bytes)"))}");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>
    /// A protobuf message read field by field (the wire format, with Google.Protobuf's reader), enough to walk OTLP's
    /// messages by their field numbers (opentelemetry-proto): length-delimited fields as bytes, varints as numbers.
    /// </summary>
    public sealed class Protobuf
    {
        private readonly List<(int Field, byte[]? Bytes, ulong Number)> _fields = [];

        public static Protobuf Parse(byte[] message)
        {
            var parsed = new Protobuf();
            var input = new CodedInputStream(message);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                var field = WireFormat.GetTagFieldNumber(tag);
                switch (WireFormat.GetTagWireType(tag))
                {
                    case WireFormat.WireType.LengthDelimited:
                        parsed._fields.Add((field, input.ReadBytes().ToByteArray(), 0));
                        break;
                    case WireFormat.WireType.Varint:
                        parsed._fields.Add((field, null, input.ReadUInt64()));
                        break;
                    default:
                        input.SkipLastField();
                        break;
                }
            }

            return parsed;
        }

        /// <summary>The embedded messages in field <paramref name="field"/>.</summary>
        public IEnumerable<Protobuf> Messages(int field) => _fields.Where(f => f.Field == field && f.Bytes is not null).Select(f => Parse(f.Bytes!));

        /// <summary>The embedded messages reached through these fields, one level each (e.g. resource_spans, scope_spans, spans).</summary>
        public IEnumerable<Protobuf> Path(params int[] fields) =>
            fields.Aggregate((IEnumerable<Protobuf>)[this], (messages, field) => messages.SelectMany(m => m.Messages(field)));

        public byte[]? Bytes(int field) => _fields.LastOrDefault(f => f.Field == field && f.Bytes is not null).Bytes;

        public string? String(int field) => Bytes(field) is { } bytes ? System.Text.Encoding.UTF8.GetString(bytes) : null;

        public ulong Number(int field) => _fields.LastOrDefault(f => f.Field == field && f.Bytes is null).Number;

        /// <summary>A bytes field (a trace or span id) in lower-case hex, as W3C ids write it.</summary>
        public string? Hex(int field) => Bytes(field) is { } bytes ? Convert.ToHexStringLower(bytes) : null;
    }
}
