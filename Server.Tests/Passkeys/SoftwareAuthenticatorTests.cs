using System.Buffers.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityServer.Tests.Passkeys;

/// <summary>
/// The software authenticator against ASP.NET Core Identity's own passkey handler, without our server: if Identity
/// accepts what it makes and refuses what it forges, a failing wire test points at the server, not at the helper.
/// </summary>
public sealed class SoftwareAuthenticatorTests : IDisposable
{
    private const string Origin = "http://localhost:5000";

    private readonly ServiceProvider _services;
    private readonly UserManager<IdentityUser> _users;
    private readonly PasskeyHandler<IdentityUser> _handler;
    private readonly SoftwareAuthenticator _phone = new();

    public SoftwareAuthenticatorTests()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IUserStore<IdentityUser>>(new InMemoryPasskeyUserStore());
        services.AddIdentityCore<IdentityUser>();
        _services = services.BuildServiceProvider();
        _users = _services.GetRequiredService<UserManager<IdentityUser>>();
        _handler = new PasskeyHandler<IdentityUser>(_users, Options.Create(new IdentityPasskeyOptions { ServerDomain = "localhost" }));
    }

    public void Dispose()
    {
        _phone.Dispose();
        _services.Dispose();
    }

    [Fact]
    public async Task ARegisteredPasskeySignsInWithoutAUserNameAsTheUserItWasCreatedFor()
    {
        var alice = await RegisteredAsync("alice", _phone);
        using var otherPhone = new SoftwareAuthenticator();
        await RegisteredAsync("bob", otherPhone);

        var stored = Assert.Single(await _users.GetPasskeysAsync(alice));
        Assert.Equal(_phone.Credentials[0].Id, Base64Url.EncodeToString(stored.CredentialId));
        Assert.True(stored.IsUserVerified && stored.IsBackupEligible && stored.IsBackedUp);
        Assert.Equal(["internal"], stored.Transports ?? []);

        var result = await SignInAsync(null, _phone);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(alice.Id, result.User.Id);
        Assert.Equal(1u, result.Passkey.SignCount);
    }

    [Fact]
    public async Task SigningInAsAKnownUserAnswersWithTheCredentialInAllowCredentialsNotTheNewest()
    {
        var alice = await RegisteredAsync("alice", _phone);
        await RegisteredAsync("bob", _phone);

        var result = await SignInAsync(alice, _phone);

        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.Equal(alice.Id, result.User.Id);
    }

    [Fact]
    public async Task TheCounterCountsUpByDefaultAndCanStayAtZeroLikeASyncedPasskey()
    {
        using var syncedPhone = new SoftwareAuthenticator();
        await RegisteredAsync("alice", _phone);
        await RegisteredAsync("bob", syncedPhone);

        Assert.Equal(1u, (await SignInAsync(null, _phone)).Passkey?.SignCount);
        Assert.Equal(2u, (await SignInAsync(null, _phone)).Passkey?.SignCount);
        for (var i = 0; i < 2; i++)
        {
            var result = await SignInAsync(null, syncedPhone, new GetSettings { ZeroSignCount = true });
            Assert.True(result.Succeeded, result.Failure?.Message);
            Assert.Equal(0u, result.Passkey.SignCount);
        }
    }

    [Fact]
    public async Task ARegistrationFromAnotherOriginIsRefused()
    {
        var options = await _handler.MakeCreationOptionsAsync(new PasskeyUserEntity { Id = "1", Name = "mallory", DisplayName = "Mallory" }, Http());

        var result = await _handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = Http(),
            CredentialJson = _phone.Create(options.CreationOptionsJson, "https://evil.example"),
            AttestationState = options.AttestationState,
        });

        Assert.False(result.Succeeded);
        Assert.Contains("invalid origin 'https://evil.example'", result.Failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("origin", "invalid origin")]
    [InlineData("crossOrigin", "invalid origin")]
    [InlineData("challenge", "challenge does not match")]
    [InlineData("rpId", "invalid Relying Party ID hash")]
    [InlineData("userVerified", "'UserVerified' flag")]
    public async Task AForgedSignInIsRefusedForWhatWasForged(string forged, string reason)
    {
        var alice = await RegisteredAsync("alice", _phone);
        var settings = forged switch
        {
            "origin" => new GetSettings { Origin = "https://evil.example" },
            "crossOrigin" => new GetSettings { CrossOrigin = true },
            "challenge" => new GetSettings { Challenge = Base64Url.EncodeToString(new byte[32]) },
            "rpId" => new GetSettings { RpId = "evil.example" },
            _ => new GetSettings { UserVerified = false },
        };

        var result = await SignInAsync(alice, _phone, settings);

        Assert.False(result.Succeeded);
        Assert.Contains(reason, result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATamperedSignatureIsRefused()
    {
        await RegisteredAsync("alice", _phone);
        var options = await _handler.MakeRequestOptionsAsync(null, Http());
        var assertion = JsonNode.Parse(_phone.Get(options.RequestOptionsJson, Origin))!;
        var signature = Base64Url.DecodeFromChars(assertion["response"]!["signature"]!.GetValue<string>());
        // The last byte belongs to s, so the DER still parses and only the signature check can catch it.
        signature[^1] ^= 0x01;
        assertion["response"]!["signature"] = Base64Url.EncodeToString(signature);

        var result = await _handler.PerformAssertionAsync(new PasskeyAssertionContext
        {
            HttpContext = Http(),
            CredentialJson = assertion.ToJsonString(),
            AssertionState = options.AssertionState,
        });

        Assert.False(result.Succeeded);
        Assert.Equal("The assertion signature was invalid.", result.Failure.Message);
    }

    private static DefaultHttpContext Http()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Origin = Origin;
        return http;
    }

    private async Task<IdentityUser> RegisteredAsync(string name, SoftwareAuthenticator authenticator)
    {
        var user = new IdentityUser(name);
        Assert.True((await _users.CreateAsync(user)).Succeeded);
        var entity = new PasskeyUserEntity { Id = user.Id, Name = name, DisplayName = name };
        var options = await _handler.MakeCreationOptionsAsync(entity, Http());
        var result = await _handler.PerformAttestationAsync(new PasskeyAttestationContext
        {
            HttpContext = Http(),
            CredentialJson = authenticator.Create(options.CreationOptionsJson, Origin),
            AttestationState = options.AttestationState,
        });
        Assert.True(result.Succeeded, result.Failure?.Message);
        Assert.True((await _users.AddOrUpdatePasskeyAsync(user, result.Passkey)).Succeeded);
        return user;
    }

    // Stores the new counter as SignInManager does, so the next sign-in is checked against it.
    private async Task<PasskeyAssertionResult<IdentityUser>> SignInAsync(IdentityUser? user, SoftwareAuthenticator authenticator, GetSettings? settings = null)
    {
        var options = await _handler.MakeRequestOptionsAsync(user, Http());
        var result = await _handler.PerformAssertionAsync(new PasskeyAssertionContext
        {
            HttpContext = Http(),
            CredentialJson = authenticator.Get(options.RequestOptionsJson, Origin, settings),
            AssertionState = options.AssertionState,
        });
        if (result.Succeeded)
        {
            await _users.AddOrUpdatePasskeyAsync(result.User, result.Passkey);
        }
        return result;
    }
}
