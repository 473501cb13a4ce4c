namespace IdentityServer.Hosting;

/// <summary>
/// Start-up stopped for a reason the operator fixes in configuration or in the database, not in the code: its
/// message is one line that names the setting and the cause, and it is shown without a stack trace.
/// </summary>
internal sealed class StartupFailureException(string message, Exception? inner = null) : Exception(message, inner);
