namespace IdentityServer.Tests.Fuzz;

/// <summary>A caller's cookies (a raw Cookie header) and the antiforgery token that goes with them.</summary>
internal sealed record FuzzCaller(string Name, string Cookies, string AntiforgeryToken);
