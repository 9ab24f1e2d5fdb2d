using System.Reflection;
using DistillLab.Web.Runs;
using DistillLab.Web.Runs.RunHistory;

namespace DistillLab.Tests.Web.Runs;

/// <summary>The run service (RunRequests and RunRegistry, in Web/Runs) owns the run history and the run folders:
/// no type elsewhere in the web project holds, takes or hands out the store, the journal, the artifacts or the
/// database context, so every read and write of a run goes through the service.</summary>
public sealed class RunServiceBoundaryTests
{
    private static readonly Type[] Owned = [typeof(RunStore), typeof(RunJournal), typeof(RunArtifacts), typeof(RunHistoryDb)];

    [Fact]
    public void NothingOutsideTheRunsFolderTouchesTheStoreOrTheArtifacts()
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var leaks = new List<string>();
        foreach (var type in typeof(RunRegistry).Assembly.GetTypes().Where(t => !IsInRuns(t)))
        {
            foreach (var field in type.GetFields(all).Where(f => Touches(f.FieldType))) leaks.Add($"{type.FullName}.{field.Name}");
            foreach (var property in type.GetProperties(all).Where(p => Touches(p.PropertyType))) leaks.Add($"{type.FullName}.{property.Name}");
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
                if (Touches(method is MethodInfo m ? m.ReturnType : typeof(void)) || method.GetParameters().Any(p => Touches(p.ParameterType)))
                    leaks.Add($"{type.FullName}.{method.Name}");
        }
        Assert.True(leaks.Count == 0, "Outside Web/Runs: " + string.Join(", ", leaks));
    }

    [Fact]
    public void TheCheckSeesALeak()
    {
        // A type that takes the store, as TrainingService's writes once did, is caught.
        Assert.True(Touches(typeof(Action<RunStore>)));
        Assert.True(Touches(typeof(RunArtifacts)));
        Assert.False(Touches(typeof(RunRegistry)));
    }

    private static bool IsInRuns(Type type) => type.Namespace is { } ns && (ns == "DistillLab.Web.Runs" || ns.StartsWith("DistillLab.Web.Runs.", StringComparison.Ordinal));

    private static bool Touches(Type type) =>
        Owned.Contains(type) || (type.HasElementType && Touches(type.GetElementType()!)) || (type.IsGenericType && type.GetGenericArguments().Any(Touches));
}
