using IdentityServer.Tests.Infrastructure;

namespace IdentityServer.Tests.Endpoints.Registration;

/// <summary>The real server with dynamic client registration turned on (open policy), for a test class to share.</summary>
public sealed class RegistrationServer : ServerFactory
{
    public RegistrationServer() => Registrations.Enable(this);
}
