namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// One endpoint or page: the group whose server it shares, its path ("{provider}" is filled in per request),
/// the methods it answers, the fields it reads, and the named page handlers it has.
/// </summary>
internal sealed record FuzzTarget(string Group, string Path, string[] Methods, string[] Fields, string[]? Handlers = null)
{
    public override string ToString() => Path;
}
