using System.Text;
using System.Text.Json;

namespace IdentityServer.Tests.Fuzz;

/// <summary>Request bodies carrying the drawn parameters: form-encoded, JSON, multipart, or plain garbage, well- or ill-formed.</summary>
internal sealed class FuzzBodies(FuzzInput input)
{
    private const string Form = "application/x-www-form-urlencoded";

    private static readonly string[] FormTypes =
    [
        Form + "; charset=utf-8", Form + "; charset=iso-8859-1", Form + "; charset=utf-16", Form + "; charset=\"nonsense\"",
        "APPLICATION/X-WWW-FORM-URLENCODED", Form + ";;;", Form + "; boundary=x", Form + ", text/plain",
    ];

    private static readonly string?[] GarbageTypes =
    [
        null, "", "text/plain", "application/octet-stream", Form, "multipart/form-data", "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"", "multipart/mixed; boundary=x", "application/json", "application/json; charset=utf-32",
        "application/xml", "*/*", ";", "a/b/c", "text/html; charset=\u00FF",
    ];

    public (byte[] Body, string? ContentType) Write(IReadOnlyList<(byte[] Name, byte[] Value)> parameters) => input.Next(20) switch
    {
        < 12 => (FormBody(parameters), input.Chance(0.85) ? Form : input.Pick(FormTypes)),
        < 14 => (Json(parameters), input.Chance(0.9) ? "application/json" : input.Pick(GarbageTypes)),
        < 18 => Multipart(parameters),
        _ => (input.Bytes(input.Between(0, 4096), 0, 256), input.Pick(GarbageTypes)),
    };

    private byte[] FormBody(IReadOnlyList<(byte[] Name, byte[] Value)> parameters)
    {
        var body = new List<byte>();
        foreach (var (name, value) in parameters)
        {
            if (body.Count > 0 || input.Chance(0.03))
            {
                body.AddRange(input.Chance(0.95) ? "&"u8.ToArray() : FuzzInput.Utf8(input.Pick(["&&", ";", "&=&", "\n"])));
            }

            body.AddRange(input.FormComponent(name));
            if (input.Chance(0.97))
            {
                body.Add((byte)'=');
                body.AddRange(input.FormComponent(value));
            }
        }

        return [.. body];
    }

    private byte[] Json(IReadOnlyList<(byte[] Name, byte[] Value)> parameters)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in parameters)
            {
                json.WritePropertyName(Encoding.UTF8.GetString(name));
                var text = Encoding.UTF8.GetString(value);
                switch (input.Next(8))
                {
                    case 0: json.WriteNumberValue(input.Next(int.MaxValue) - (input.Next(2) * int.MaxValue)); break;
                    case 1: json.WriteBooleanValue(input.Chance(0.5)); break;
                    case 2: json.WriteNullValue(); break;
                    case 3: json.WriteStartArray(); json.WriteStringValue(text); json.WriteStringValue(text); json.WriteEndArray(); break;
                    case 4: json.WriteStartObject(); json.WriteString(text, text); json.WriteEndObject(); break;
                    default: json.WriteStringValue(text); break;
                }
            }

            json.WriteEndObject();
        }

        var bytes = buffer.ToArray();
        return input.Next(6) switch
        {
            0 => bytes[..input.Next(bytes.Length + 1)],
            1 => [.. bytes, .. input.Bytes(input.Between(1, 16), 0, 256)],
            2 => FuzzInput.Utf8(input.Pick(["[]", "\"x\"", "1", "null", "{", "{\"a\":", "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["])),
            _ => bytes,
        };
    }

    private (byte[] Body, string? ContentType) Multipart(IReadOnlyList<(byte[] Name, byte[] Value)> parameters)
    {
        var boundary = input.Chance(0.85) ? "fuzz" + input.Next(1_000_000) : input.Pick(["", " ", "a b", "\"q\"", new string('b', 71), "--", "=?;"]);
        var body = new List<byte>();
        void Line(string text) => body.AddRange(FuzzInput.Utf8(text + "\r\n"));
        foreach (var (name, value) in parameters)
        {
            Line("--" + boundary);
            body.AddRange("Content-Disposition: form-data; name=\""u8.ToArray());
            body.AddRange(name);
            Line("\"" + (input.Chance(0.1) ? "; filename=\"f.txt\"" : ""));
            if (input.Chance(0.1))
            {
                Line(input.Pick(["Content-Type: text/plain", "Content-Type: application/octet-stream", "no colon here", "X-Long: " + new string('h', 20_000)]));
            }

            Line("");
            body.AddRange(value);
            Line("");
        }

        if (input.Chance(0.85))
        {
            Line("--" + boundary + "--");
        }

        var bytes = input.Chance(0.05) ? body.Take(input.Next(body.Count + 1)).ToArray() : [.. body];
        var declared = input.Chance(0.9) ? boundary : "other" + input.Next(100);
        var type = input.Next(10) switch
        {
            0 => "multipart/form-data",
            1 => $"multipart/form-data; boundary=\"{declared}\"",
            _ => "multipart/form-data; boundary=" + declared,
        };
        return (bytes, type);
    }
}
