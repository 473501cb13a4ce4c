// Prepares what the load scenarios consume: signs the bench user in, collects authorization codes
// (each usable once), and redeems some of them for refresh tokens and an access token.
// Usage: Prep <baseUrl> <outDir> <codes> <refreshTokens>
// Everything is prepared twice: codes.txt / refresh.txt for the measured run, warm-codes.txt /
// warm-refresh.txt for the unrecorded warm-up before it (codes and refresh tokens work once).
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var baseUrl = new Uri(args[0]);
var outDir = args[1];
var codeCount = int.Parse(args[2]);
var refreshCount = int.Parse(args[3]);
const string Verifier = "bench-verifier-bench-verifier-bench-verifier-0123456789";
const string Redirect = "http://127.0.0.1:9/cb";
var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseUrl };
var loginPage = await http.GetStringAsync("/Account/Login");
var antiforgery = Regex.Match(loginPage, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
var login = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
{
    ["Login"] = "bench", ["Password"] = "quarry lantern violet ridge 2026", ["__RequestVerificationToken"] = antiforgery, ["ReturnUrl"] = "/",
}));
if (login.StatusCode != HttpStatusCode.Redirect)
{
    throw new InvalidOperationException($"Sign-in failed: {(int)login.StatusCode}");
}

var authorize = $"/connect/authorize?client_id=bench-app&response_type=code&scope=openid%20offline_access%20api&redirect_uri={Uri.EscapeDataString(Redirect)}&state=s&code_challenge={challenge}&code_challenge_method=S256";
var codes = new string[2 * (codeCount + refreshCount) + 1];
await Parallel.ForAsync(0, codes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
{
    using var response = await http.GetAsync(authorize, ct);
    var location = response.Headers.Location?.ToString() ?? throw new InvalidOperationException($"No redirect: {(int)response.StatusCode}");
    codes[i] = Regex.Match(location, "[?&]code=([^&]+)").Groups[1].Value;
});

async Task<JsonElement> RedeemAsync(string code)
{
    using var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["grant_type"] = "authorization_code", ["client_id"] = "bench-app", ["client_secret"] = "bench-app-secret-bench-app-secret",
        ["code"] = Uri.UnescapeDataString(code), ["redirect_uri"] = Redirect, ["code_verifier"] = Verifier,
    }));
    var body = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement : throw new InvalidOperationException(body);
}

var refreshTokens = new List<string>();
for (var i = 0; i < 2 * refreshCount; i++)
{
    refreshTokens.Add((await RedeemAsync(codes[2 * codeCount + i])).GetProperty("refresh_token").GetString()!);
}

var access = (await RedeemAsync(codes[^1])).GetProperty("access_token").GetString()!;
Directory.CreateDirectory(outDir);
await File.WriteAllLinesAsync(Path.Combine(outDir, "codes.txt"), codes.Take(codeCount).Select(Uri.UnescapeDataString));
await File.WriteAllLinesAsync(Path.Combine(outDir, "warm-codes.txt"), codes.Skip(codeCount).Take(codeCount).Select(Uri.UnescapeDataString));
await File.WriteAllLinesAsync(Path.Combine(outDir, "refresh.txt"), refreshTokens.Take(refreshCount));
await File.WriteAllLinesAsync(Path.Combine(outDir, "warm-refresh.txt"), refreshTokens.Skip(refreshCount));
await File.WriteAllTextAsync(Path.Combine(outDir, "access.txt"), access);
Console.WriteLine($"prepared {codeCount} codes and {refreshCount} refresh tokens (and as many again for the warm-up), 1 access token");
