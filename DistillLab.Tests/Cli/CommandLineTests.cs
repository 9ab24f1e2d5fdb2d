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
