using DistillLab.Web.Cli;

namespace DistillLab.Tests.Cli;

public class CommandLineTests
{
    [Theory]
    [InlineData("stduy")]
    [InlineData("labb")]
    [InlineData("serve")]
    public void AnUnknownFirstWordIsAnErrorListingTheCommands(string word)
    {
        var message = CommandLine.UnknownVerb([word, "--seed", "1"]);
        Assert.NotNull(message);
        Assert.Contains($"Unknown command '{word}'", message);
        Assert.Contains("lab, bench", message);
    }

    [Theory]
    [InlineData]
    [InlineData("--urls", "http://127.0.0.1:5081")]
    [InlineData("Urls=http://127.0.0.1:5081")]
    [InlineData("lab", "--help")]
    [InlineData("bench")]
    public void OptionsSettingsAndKnownCommandsPass(params string[] args) => Assert.Null(CommandLine.UnknownVerb(args));
}

/// <summary>LabConfig is the one source of the `lab` options: every setting it marks is an option, parsed into it.</summary>
public class LabOptionsFromLabConfigTests
{
    public static TheoryData<string> Settings() => new(typeof(DistillLab.Core.Experiments.LabConfig).GetProperties()
        .Where(p => p.GetCustomAttributes(typeof(DistillLab.Core.Experiments.SettingAttribute), false).Length > 0).Select(p => p.Name));

    [Theory]
    [MemberData(nameof(Settings))]
    public void EverySettingOfLabConfigIsAnOptionThatSetsIt(string property)
    {
        var info = typeof(DistillLab.Core.Experiments.LabConfig).GetProperty(property)!;
        string option = LabOptions.OptionName(property);
        Assert.Contains(option, LabOptions.Usage);
        var type = Nullable.GetUnderlyingType(info.PropertyType) ?? info.PropertyType;
        // A value each type accepts and LabConfig.Validate lets through alone (or with its companion).
        (string[] Args, object Expected) probe = property switch
        {
            "Data" => (["--data", "synthetic"], "synthetic"),
            "Device" => (["--device", "cpu"], "cpu"),
            "Resize" => (["--resize", "smooth"], "smooth"),
            "Split" => (["--data", "petimages", "--split", "tfds"], "tfds"),
            "TeacherPath" => (["--teacher", "t.ckpt"], "t.ckpt"),
            "ScratchPath" => (["--scratch", "s.ckpt"], "s.ckpt"),
            _ when type == typeof(bool) => ([option], true),
            _ when type == typeof(int) => ([option, property == "ImageSize" ? "48" : "12"], property == "ImageSize" ? 48 : 12),
            _ when type == typeof(double) => ([option, "0.25"], 0.25),
            _ => throw new InvalidOperationException($"No probe value for {property}: add one here."),
        };
        var parsed = LabOptions.Parse(probe.Args, out var error);
        Assert.True(parsed is not null, error);
        Assert.Equal(probe.Expected, info.GetValue(parsed.Config));
    }
}

public class BenchOptionsTests
{
    [Theory]
    [InlineData("--rounds 0", "--rounds must be a whole number >= 1; got '0'")]
    [InlineData("--image-size 20", "--image-size must be a whole number >= 46")]
    [InlineData("--zzz", "Unknown option '--zzz'")]
    [InlineData("--steps", "--steps")]
    public void BadBenchOptionsExitWithCode2NamingTheOption(string args, string message)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(2, BenchCommand.Run(args.Split(' '), stdout, stderr));
        Assert.Contains(message, stderr.ToString());
    }

    [Fact]
    public void HelpListsTheOptionsAndExitsZero()
    {
        using var stdout = new StringWriter();
        Assert.Equal(0, BenchCommand.Run(["--help"], stdout, TextWriter.Null));
        foreach (var option in new[] { "--image-size", "--batch-size", "--images", "--steps", "--rounds", "--device", "--python", "--no-pytorch" })
            Assert.Contains(option, stdout.ToString());
    }
}
