using System.Collections.Concurrent;
using System.Security.Cryptography;
using IdentityServer.Keys;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenIddict.Server;

namespace IdentityServer.Oidc;

/// <summary>
/// The discovery document and the JWKS from memory: the first GET of each is answered by OpenIddict and kept;
/// later ones are written from the copy, with <c>Cache-Control: public, max-age</c> (shorter than the key
/// propagation period, so an API that honours it learns a new key before it signs) and a strong <c>ETag</c>
/// (<c>If-None-Match</c> gets a 304). The copies go when OpenIddict's options are rebuilt, which is what a key
/// rotation does. Without a configured issuer the documents name the request's host, so they are kept per
/// host, for a few hosts at most.
/// </summary>
internal sealed class MetadataCache(RequestDelegate next, IOptionsMonitor<OpenIddictServerOptions> server, IOptions<OidcOptions> oidc, IOptions<KeyRotationOptions> rotation)
{
    private const int MaxEntries = 16;

    private readonly string cacheControl = $"public, max-age={(long)rotation.Value.MetadataMaxAge.TotalSeconds}";
    private Generation current = new(null, [], new(StringComparer.Ordinal));

    /// <summary>Anything but a GET of either document goes straight on, without an async frame of its own (the token endpoint passes here).</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) || request.QueryString.HasValue)
        {
            return next(context);
        }

        var generation = Current();
        return request.Path.Value is { } path && generation.Paths.Contains(path) ? ServeAsync(context, generation, path) : next(context);
    }

    private async Task ServeAsync(HttpContext context, Generation generation, string path)
    {
        var request = context.Request;
        var key = oidc.Value.Issuer is null ? $"{request.Scheme}://{request.Host}{request.PathBase}{path}" : path;
        if (generation.Entries.TryGetValue(key, out var entry))
        {
            context.Response.ContentType = entry.ContentType;
            await WriteAsync(context, entry);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.StatusCode != StatusCodes.Status200OK)
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original, context.RequestAborted);
            return;
        }

        var body = buffer.ToArray();
        entry = new Entry(body, context.Response.ContentType ?? "application/json;charset=UTF-8", $"\"{Convert.ToBase64String(SHA256.HashData(body))}\"");
        if (generation.Entries.Count < MaxEntries)
        {
            generation.Entries.TryAdd(key, entry);
        }

        await WriteAsync(context, entry);
    }

    private Task WriteAsync(HttpContext context, Entry entry)
    {
        var response = context.Response;
        response.Headers.CacheControl = cacheControl;
        response.Headers.Pragma = default;
        response.Headers.Expires = default;
        response.Headers.ETag = entry.ETag;
        if (context.Request.GetTypedHeaders().IfNoneMatch is { Count: > 0 } tags && tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(entry.ETag), useStrongComparison: false)))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            response.ContentLength = null;
            response.Headers.ContentType = default;
            return Task.CompletedTask;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentLength = entry.Body.Length;
        return response.Body.WriteAsync(entry.Body, context.RequestAborted).AsTask();
    }

    /// <summary>The copies made with the current options; a new, empty set once the options are rebuilt.</summary>
    private Generation Current()
    {
        var options = server.CurrentValue;
        var generation = current;
        if (ReferenceEquals(generation.Options, options))
        {
            return generation;
        }

        var paths = options.ConfigurationEndpointUris.Concat(options.JsonWebKeySetEndpointUris).Where(u => !u.IsAbsoluteUri)
            .Select(u => "/" + u.OriginalString.TrimStart('/')).ToHashSet(StringComparer.Ordinal);
        var fresh = new Generation(options, paths, new(StringComparer.Ordinal));
        return Interlocked.CompareExchange(ref current, fresh, generation) == generation ? fresh : current;
    }

    private sealed record Generation(OpenIddictServerOptions? Options, HashSet<string> Paths, ConcurrentDictionary<string, Entry> Entries);

    private sealed record Entry(byte[] Body, string ContentType, string ETag);
}
