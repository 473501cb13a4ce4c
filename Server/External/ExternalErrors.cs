namespace IdentityServer.External;

/// <summary>The reasons the external-sign-in error page knows how to explain (anything else reads as a generic failure).</summary>
internal static class ExternalErrors
{
    public const string Relink = "relink";
    public const string LinkedElsewhere = "linked_elsewhere";
    public const string NotCreated = "not_created";
    public const string NotAllowed = "not_allowed";
    public const string Locked = "locked";
}
