namespace DistillLab.Web.Cli;

/// <summary>The headless `lab` command: runs the whole lab from the terminal and exits.</summary>
public static class LabCommand
{
    public static Task<int> RunAsync(string[] args) => throw new NotImplementedException("in progress on main");
}
