using DistillLab.Web.Hosting;
using DistillLab.Web.Settings;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace DistillLab.Tests.Web.Settings;

/// <summary>Every verb reads DISTILLLAB_&lt;Section&gt;__&lt;Key&gt;; the dashboard keeps ASP.NET Core's unprefixed
/// names under them and its command-line arguments over them.</summary>
/// <remarks>Environment variables are the process's: each test uses a key of its own that nothing else reads, so
/// tests running beside it see no change.</remarks>
public sealed class SettingsSourcesTests
{
    [Fact]
    public void AVerbWithoutAHostReadsAppSettingsAndThePrefixedVariables()
    {
        using var variable = new Variable("DISTILLLAB_SettingsSourcesTest__Verb", "from-env");
        var configuration = SettingsSources.Load();
        Assert.Equal("from-env", configuration["SettingsSourcesTest:Verb"]);
        Assert.Equal("embedded", configuration["Jobs:Engine"]); // appsettings.json beside the app
        Assert.Equal("1", configuration["Jobs:Workers"]);
    }

    [Fact]
    public void TheDashboardReadsBothNamesThePrefixedOneWinsAndItsArgumentsWinOverBoth()
    {
        using var plain = new Variable("SettingsSourcesTest__Dashboard", "unprefixed");
        using var plainOnly = new Variable("SettingsSourcesTest__PlainOnly", "unprefixed");
        using var prefixed = new Variable("DISTILLLAB_SettingsSourcesTest__Dashboard", "prefixed");
        using var argued = new Variable("DISTILLLAB_SettingsSourcesTest__Argued", "prefixed");

        var builder = WebApplication.CreateBuilder(["--SettingsSourcesTest:Argued=argument"]).AddDistillLabSettings();

        Assert.Equal("prefixed", builder.Configuration["SettingsSourcesTest:Dashboard"]);
        Assert.Equal("unprefixed", builder.Configuration["SettingsSourcesTest:PlainOnly"]);
        Assert.Equal("argument", builder.Configuration["SettingsSourcesTest:Argued"]);
        Assert.Equal("embedded", builder.Configuration["Jobs:Engine"]);
    }

    private sealed class Variable : IDisposable
    {
        private readonly string name;
        public Variable(string name, string value)
        {
            this.name = name;
            Environment.SetEnvironmentVariable(name, value);
        }
        public void Dispose() => Environment.SetEnvironmentVariable(name, null);
    }
}
