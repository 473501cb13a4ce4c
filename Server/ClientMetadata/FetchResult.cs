namespace IdentityServer.ClientMetadata;

/// <summary>A fetched document's bytes and how long it may be kept, or why there is none.</summary>
internal sealed record FetchResult(byte[]? Body, TimeSpan CacheLifetime, string? Problem, bool IsBusy)
{
    public static FetchResult Fetched(byte[] body, TimeSpan cacheLifetime) => new(body, cacheLifetime, null, false);

    public static FetchResult Failed(string problem) => new(null, TimeSpan.Zero, problem, false);

    public static FetchResult Busy() => new(null, TimeSpan.Zero, "too many client documents are being fetched right now", true);
}
