using System.Text;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// One generated request, kept as the bytes that go on the wire: the target is sent as written (the TestServer
/// client does not re-escape a relative URI), the body as raw bytes under whatever content type was drawn.
/// </summary>
internal sealed record FuzzRequest(string Method, string Target, string Caller, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[]? Body, string? ContentType)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), new Uri(Target, UriKind.Relative));
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        return message;
    }

    /// <summary>Enough to replay by hand: method, target, caller, headers and the start of the body, non-printables escaped.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(Method).Append(' ').Append(Truncate(Target, 400)).Append(" as ").Append(Caller);
        foreach (var (name, value) in Headers)
        {
            text.Append("\n  ").Append(name).Append(": ").Append(Truncate(value, 120));
        }

        if (Body is not null)
        {
            text.Append("\n  Content-Type: ").Append(ContentType ?? "(none)");
            text.Append("\n  body (").Append(Body.Length).Append(" bytes): ").Append(Escape(Body.AsSpan(0, Math.Min(Body.Length, 400))));
        }

        return text.ToString();
    }

    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? (char)b : $"\\x{b:X2}");
        }

        return text.ToString();
    }

    private static string Truncate(string value, int length) =>
        value.Length <= length ? Escape(Encoding.Latin1.GetBytes(value)) : Escape(Encoding.Latin1.GetBytes(value[..length])) + $"… ({value.Length} chars)";
}
