using System.Globalization;
using System.Text.RegularExpressions;
using IdentityServer.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IdentityServer.Tests.Fuzz;

/// <summary>
/// Random requests to every protocol endpoint and page (<see cref="FuzzTargets"/>), one server per group.
/// Pass: no 5xx, no 429, no exception reaching the client, nothing logged at Error with an exception.
/// <c>FUZZ_SEED=n</c> replays a run (the seed is printed); <c>FUZZ_REQUESTS=n</c> sends n per endpoint (default 2,000).
/// </summary>
public sealed partial class FuzzTests(ITestOutputHelper output)
{
    private static readonly int Seed = Setting("FUZZ_SEED") ?? Random.Shared.Next();
    private static readonly int RequestsPerEndpoint = Setting("FUZZ_REQUESTS") ?? 2000;

    public static TheoryData<string> Groups => [FuzzTargets.Protocol, FuzzTargets.Account, FuzzTargets.Manage, FuzzTargets.Admin, FuzzTargets.AdminConsole];

    [Theory]
    [MemberData(nameof(Groups))]
    public async Task NoRandomRequestGetsA5xxOrAnUnhandledException(string group)
    {
        output.WriteLine($"FUZZ_SEED={Seed} FUZZ_REQUESTS={RequestsPerEndpoint} (set both to replay this run)");
        await using var server = new FuzzServer();
        var callers = new FuzzCallers(server);
        await callers.SetUpAsync();
        var runner = new FuzzRunner(server, callers);

        var failures = new List<string>();
        foreach (var target in FuzzTargets.All.Where(t => t.Group == group))
        {
            var report = await runner.RunAsync(target, TargetSeed(target), RequestsPerEndpoint);
            output.WriteLine(report.Summary());
            if (report.Findings.Count > 0)
            {
                failures.Add(report.Failures());
            }
        }

        Assert.True(failures.Count == 0, $"FUZZ_SEED={Seed} FUZZ_REQUESTS={RequestsPerEndpoint} replays this run.\n{string.Concat(failures)}");
    }

    [Fact]
    public void EveryPageUnderServerPagesIsFuzzed()
    {
        var pages = Path.Combine(Repository.Root, "Server", "Pages");
        var routes = Directory.GetFiles(pages, "*.cshtml", SearchOption.AllDirectories)
            .Where(file => !Path.GetFileName(file).StartsWith('_') && !file.Contains($"{Path.DirectorySeparatorChar}Shared{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(file => PageRoute().Match(File.ReadLines(file).First()) is { Success: true } m
                ? m.Groups["template"].Value
                : "/" + Path.GetRelativePath(pages, file)[..^".cshtml".Length].Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();

        Assert.NotEmpty(routes);
        var missing = routes.Where(route => !FuzzTargets.All.Any(t => string.Equals(t.Path, route, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(missing.Count == 0, "Add these pages to FuzzTargets.All: " + string.Join(", ", missing));
    }

    /// <summary>Each endpoint's own stream of requests (a page listed twice has one per list of handlers), so one endpoint replays alone whatever ran before it.</summary>
    private static int TargetSeed(FuzzTarget target)
    {
        var hash = 2166136261u;
        foreach (var c in target.ToString())
        {
            hash = (hash ^ c) * 16777619u;
        }

        return Seed ^ (int)hash;
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    [GeneratedRegex("^@page\\s+\"(?<template>[^\"]+)\"")]
    private static partial Regex PageRoute();
}
