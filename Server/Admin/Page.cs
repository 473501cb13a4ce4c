using System.Text.Json.Serialization;

namespace IdentityServer.Admin;

/// <summary>One page of a list: every list of the admin API answers with this envelope.</summary>
internal sealed record Page<T>(
    IReadOnlyList<T> Items,
    [property: JsonPropertyName("page")] int PageNumber,
    int PageSize,
    int Total);
