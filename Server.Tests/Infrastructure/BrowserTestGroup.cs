namespace IdentityServer.Tests.Infrastructure;

/// <summary>Browser tests run on their own, not beside the rest of the suite, so timing on 2 cores stays sane.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BrowserTestGroup
{
    public const string Name = "browser";
}
