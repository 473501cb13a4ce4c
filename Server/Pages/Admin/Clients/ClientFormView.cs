using IdentityServer.Admin.Console;

namespace IdentityServer.Pages.Admin.Clients;

/// <summary>What the shared form fields need: the posted or stored values, and whether the client id may still be chosen.</summary>
internal sealed record ClientFormView(ClientForm Form, bool Creating);
