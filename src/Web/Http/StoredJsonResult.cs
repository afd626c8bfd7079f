using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using RuralRegistry.Application.Common;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace RuralRegistry.Web.Http;

/// <summary>
/// A 200 answer made of stored representations (<see cref="StoredJson"/>): a record's bytes sent as they are, or a
/// page whose items are; the contract names <typeparamref name="TContract"/>, the shape those bytes have.
/// </summary>
internal sealed class StoredJsonResult<TContract>(object value) : IResult, IEndpointMetadataProvider
{
    private const string ContentType = "application/json; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        if (value is StoredJson stored)
        {
            response.ContentType = ContentType;
            response.ContentLength = stored.Utf8.Length;
            return response.Body.WriteAsync(stored.Utf8, httpContext.RequestAborted).AsTask();
        }

        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        return response.WriteAsJsonAsync(value, value.GetType(), options, ContentType, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TContract), ["application/json"]));
}
