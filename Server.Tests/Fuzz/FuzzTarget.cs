namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// One endpoint or page: the group whose server it shares, its path ("{provider}" is filled in per request),
/// the methods it answers, the fields it reads, the named page handlers it has, and whether its well-formed
/// requests carry a JSON body (client registration) instead of a form.
/// </summary>
internal sealed record FuzzTarget(string Group, string Path, string[] Methods, string[] Fields, string[]? Handlers = null, bool Json = false)
{
    public override string ToString() => Handlers is { Length: > 0 } ? $"{Path} ({string.Join('|', Handlers)})" : Path;
}
