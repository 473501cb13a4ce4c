using Mono.Cecil;

namespace IdentityServer.Tests.Architecture;

/// <summary>
/// The server's folders are its namespaces, and no two of them may depend on each other, directly or
/// through others: a cycle means neither can be read, moved or changed alone. The dependencies are read
/// from the compiled assembly (signatures, attributes and every instruction of every method body), so a
/// reference written with a fully qualified name counts as much as a <c>using</c>.
/// </summary>
public sealed class NamespaceCycleTests
{
    private const string Root = "IdentityServer";

    [Fact]
    public void NoNamespaceOfTheServerDependsOnItselfThroughAnother()
    {
        var graph = DependencyGraph(typeof(Program).Assembly.Location);
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).Select(c => Describe(c, graph)).ToList();
        Assert.True(cycles.Count == 0, "Namespace cycles:\n" + string.Join("\n", cycles));
    }

    [Fact]
    public void TheCheckSeesACycle()
    {
        var graph = new Dictionary<string, HashSet<(string To, string Via)>>
        {
            ["A"] = [("B", "A.X → B.Y")],
            ["B"] = [("C", "B.Y → C.Z")],
            ["C"] = [("A", "C.Z → A.X")],
            ["D"] = [("A", "D.W → A.X")],
        };
        var cycles = StronglyConnected(graph).Where(c => c.Count > 1).ToList();
        Assert.Equal(["A", "B", "C"], Assert.Single(cycles).Order(StringComparer.Ordinal));
    }

    /// <summary>Namespace → the namespaces its types use, each with one example (which type uses which).</summary>
    private static Dictionary<string, HashSet<(string To, string Via)>> DependencyGraph(string assemblyPath)
    {
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        var graph = new Dictionary<string, HashSet<(string, string)>>(StringComparer.Ordinal);
        foreach (var type in module.GetTypes())
        {
            var from = NamespaceOf(type);
            if (from is null)
            {
                continue;
            }

            var edges = graph.TryGetValue(from, out var existing) ? existing : graph[from] = [];
            foreach (var used in UsedTypes(type).SelectMany(Constituents))
            {
                if (NamespaceOf(used) is { } to && to != from && edges.All(e => e.Item1 != to))
                {
                    edges.Add((to, $"{Outermost(type).FullName} uses {used.FullName}"));
                }
            }
        }

        return graph;
    }

    private static IEnumerable<TypeReference> UsedTypes(TypeDefinition type)
    {
        if (type.BaseType is not null)
        {
            yield return type.BaseType;
        }

        foreach (var i in type.Interfaces)
        {
            yield return i.InterfaceType;
        }

        foreach (var a in type.CustomAttributes)
        {
            yield return a.AttributeType;
        }

        foreach (var f in type.Fields)
        {
            yield return f.FieldType;
        }

        foreach (var p in type.Properties)
        {
            yield return p.PropertyType;
        }

        foreach (var m in type.Methods)
        {
            yield return m.ReturnType;
            foreach (var p in m.Parameters)
            {
                yield return p.ParameterType;
            }

            if (!m.HasBody)
            {
                continue;
            }

            foreach (var v in m.Body.Variables)
            {
                yield return v.VariableType;
            }

            foreach (var instruction in m.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        yield return t;
                        break;
                    case MemberReference member when member.DeclaringType is not null:
                        yield return member.DeclaringType;
                        if (member is MethodReference method)
                        {
                            yield return method.ReturnType;
                            foreach (var p in method.Parameters)
                            {
                                yield return p.ParameterType;
                            }

                            if (method is GenericInstanceMethod generic)
                            {
                                foreach (var argument in generic.GenericArguments)
                                {
                                    yield return argument;
                                }
                            }
                        }
                        else if (member is FieldReference field)
                        {
                            yield return field.FieldType;
                        }

                        break;
                }
            }
        }
    }

    /// <summary>A constructed type's parts: <c>List&lt;Oidc.X&gt;[]</c> uses <c>List</c> and <c>Oidc.X</c>.</summary>
    private static IEnumerable<TypeReference> Constituents(TypeReference type)
    {
        if (type is GenericInstanceType generic)
        {
            return generic.GenericArguments.SelectMany(Constituents).Append(generic.ElementType);
        }

        return type is TypeSpecification { ElementType: not null } spec ? Constituents(spec.ElementType) : [type];
    }

    /// <summary>
    /// The server namespace a type lives in; null for everything outside the server. The model EF Core
    /// compiles ahead of time describes the Data context's own model, so it counts as part of Data.
    /// </summary>
    private static string? NamespaceOf(TypeReference type)
    {
        var ns = Outermost(type).Namespace;
        if (ns.StartsWith(Root + ".Data.CompiledModels", StringComparison.Ordinal))
        {
            ns = Root + ".Data";
        }

        return ns == Root || ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns : null;
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    /// <summary>Tarjan's algorithm: the groups of namespaces that can each reach every other in the group.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<(string To, string Via)>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var (next, _) in graph.GetValueOrDefault(node) ?? [])
            {
                if (!index.TryGetValue(next, out var seen))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], seen);
                }
            }

            if (low[node] == index[node])
            {
                var group = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    group.Add(member);
                }
                while (member != node);
                result.Add(group);
            }
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal).ToList())
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return result;
    }

    private static string Describe(List<string> cycle, Dictionary<string, HashSet<(string To, string Via)>> graph) =>
        string.Join(", ", cycle.Order(StringComparer.Ordinal)) + ":\n" + string.Join("\n",
            cycle.SelectMany(from => graph[from].Where(e => cycle.Contains(e.To)).Select(e => $"  {from} → {e.To} ({e.Via})")));
}
