namespace IdentityServer.Hosting;

/// <summary>
/// Start-up stopped for a reason the operator fixes in configuration or in the database, not in the code: its
/// message is one line that names the setting and the cause, and it is shown without a stack trace — also where
/// the host logs it ("Hosting failed to start"), which writes an exception with <see cref="ToString"/>.
/// </summary>
internal sealed class StartupFailureException(string message, Exception? inner = null) : Exception(message, inner)
{
    public override string ToString() => $"{nameof(StartupFailureException)}: {Message}";
}
