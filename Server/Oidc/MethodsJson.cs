using System.Text.Json.Serialization;

namespace IdentityServer.Oidc;

/// <summary>Source-generated JSON for the <c>amr</c> array.</summary>
[JsonSerializable(typeof(string[]))]
internal sealed partial class MethodsJson : JsonSerializerContext;
