namespace DistillLab.Core.Experiments;

/// <summary>How a <see cref="LabConfig"/> setting is spelled and explained wherever a person types it (the `lab`
/// command line): the one place besides the property itself that a new setting needs.</summary>
/// <param name="Name">The option's name without dashes, e.g. "lr" for LearningRate.</param>
/// <param name="Help">One line: what it does, what it allows and its default.</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string name, string help) : Attribute
{
    public string Name { get; } = name;
    public string Help { get; } = help;
}
