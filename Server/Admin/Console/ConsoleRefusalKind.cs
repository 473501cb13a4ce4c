namespace IdentityServer.Admin.Console;

internal enum ConsoleRefusalKind
{
    /// <summary>Signed in, but without the admin role: a 403 page, never the sign-in page (which would only loop).</summary>
    NotAdmin,

    /// <summary>An admin with no second factor to prove: a page that says so and leads to enrolment.</summary>
    NoSecondFactor,

    /// <summary>An admin whose sign-in is too old, or was made without the second factor: sign in again.</summary>
    Reauthenticate,
}
