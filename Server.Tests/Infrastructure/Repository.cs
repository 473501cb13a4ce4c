namespace IdentityServer.Tests.Infrastructure;

/// <summary>The repository the tests run from: its root, and the C# sources the project writes (not generated ones).</summary>
public static class Repository
{
    private static readonly string[] Projects = ["Server", "Server.Tests"];

    public static string Root { get; } = FindRoot();

    public static IEnumerable<string> WrittenSources() =>
        Projects.SelectMany(project => Directory.EnumerateFiles(Path.Combine(Root, project), "*.cs", SearchOption.AllDirectories))
            .Where(file => !Segments(file).Any(s => s is "obj" or "bin" or "CompiledModels"));

    private static string[] Segments(string file) => Path.GetRelativePath(Root, file).Split(Path.DirectorySeparatorChar);

    private static string FindRoot()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "IdentityServer.sln")))
        {
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("IdentityServer.sln not found above " + AppContext.BaseDirectory);
        }

        return directory;
    }
}
