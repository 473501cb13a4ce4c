using IdentityServer.Oidc;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace IdentityServer.Tests.Endpoints.Authorize;

/// <summary>The markers added to an authorization request's address, alone: bound to the request, the purpose and five minutes.</summary>
public sealed class RequestMarkerTests
{
    private readonly FakeTimeProvider time = new(DateTimeOffset.UtcNow);
    private readonly RequestMarkers markers;

    public RequestMarkerTests() => markers = new RequestMarkers(new EphemeralDataProtectionProvider(), time);

    private static List<KeyValuePair<string, StringValues>> Request(string state) =>
    [
        KeyValuePair.Create("client_id", new StringValues("spa")),
        KeyValuePair.Create("state", new StringValues(state)),
        KeyValuePair.Create("scope", new StringValues("openid api")),
    ];

    private static List<KeyValuePair<string, StringValues>> With(List<KeyValuePair<string, StringValues>> request, string name, string marker) =>
        [.. request, KeyValuePair.Create(name, new StringValues(marker))];

    [Fact]
    public void AMarkerIsReadBackOnTheRequestItWasMadeForWithinFiveMinutes()
    {
        var marker = markers.Create(RequestMarkers.Consent, Request("a"), "accept|user-1");
        time.Advance(TimeSpan.FromMinutes(4));

        Assert.Equal("accept|user-1", markers.Read(RequestMarkers.Consent, With(Request("a"), RequestMarkers.Consent, marker))?.Payload);
    }

    [Fact]
    public void AMarkerMovedToAnotherRequestIsNoMarker()
    {
        var marker = markers.Create(RequestMarkers.Consent, Request("a"), "accept|user-1");

        Assert.Null(markers.Read(RequestMarkers.Consent, With(Request("b"), RequestMarkers.Consent, marker)));
        Assert.Null(markers.Read(RequestMarkers.Consent, With([.. Request("a"), KeyValuePair.Create("prompt", new StringValues("none"))], RequestMarkers.Consent, marker)));
    }

    [Fact]
    public void AMarkerExpiresAfterFiveMinutes()
    {
        var marker = markers.Create(RequestMarkers.Reauthentication, Request("a"), "");
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        Assert.Null(markers.Read(RequestMarkers.Reauthentication, With(Request("a"), RequestMarkers.Reauthentication, marker)));
    }

    [Fact]
    public void AMarkerOfOnePurposeDoesNotServeTheOther()
    {
        var reauth = markers.Create(RequestMarkers.Reauthentication, Request("a"), "accept|user-1");

        Assert.Null(markers.Read(RequestMarkers.Consent, With(Request("a"), RequestMarkers.Consent, reauth)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("accept")]
    [InlineData("CfDJ8not-a-real-payload")]
    public void AnythingElseIsNoMarker(string value) =>
        Assert.Null(markers.Read(RequestMarkers.Consent, With(Request("a"), RequestMarkers.Consent, value)));
}
