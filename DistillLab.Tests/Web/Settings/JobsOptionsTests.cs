using DistillLab.Tests.Support;
using DistillLab.Web.Settings;

namespace DistillLab.Tests.Web.Settings;

/// <summary>The Jobs section: embedded by default, and every bad value refused at start by name with what is allowed.</summary>
public sealed class JobsOptionsTests
{
    [Fact]
    public void TheDefaultsAreOneEmbeddedWorkerNamedAfterTheHostAndProcess()
    {
        var defaults = new JobsOptions();
        Assert.Empty(defaults.Problems(connectionString: null));
        Assert.False(defaults.IsPostgres);
        Assert.Equal(1, defaults.Workers);
        Assert.Equal(120, defaults.StopSeconds);
        Assert.Equal($"{Environment.MachineName}:{Environment.ProcessId}", defaults.EffectiveWorkerName);
        Assert.Equal("gpu-box-1", new JobsOptions { WorkerName = " gpu-box-1 " }.EffectiveWorkerName);
    }

    [Theory]
    [InlineData("Engine", "redis", "Jobs:Engine must be \"embedded\"", "got \"redis\"")]
    [InlineData("Workers", "-1", "Jobs:Workers must be a whole number from 0 (train nothing: UI only) to 64", "got -1")]
    [InlineData("Workers", "65", "Jobs:Workers must be", "got 65")]
    [InlineData("StopSeconds", "-5", "Jobs:StopSeconds must be a whole number of seconds from 0 to 3600", "got -5")]
    [InlineData("StopSeconds", "3601", "Jobs:StopSeconds must be", "got 3601")]
    [InlineData("WorkerName", "a\nb", "Jobs:WorkerName must be at most 100 characters without control characters", "")]
    public void ABadValueIsRefusedNamingTheSettingAndWhatIsAllowed(string setting, string value, string expected, string got)
    {
        var options = new JobsOptions();
        var property = typeof(JobsOptions).GetProperty(setting)!;
        property.SetValue(options, property.PropertyType == typeof(int) ? int.Parse(value) : value);
        string problem = Assert.Single(options.Problems(connectionString: null));
        Assert.Contains(expected, problem);
        Assert.Contains(got, problem);
    }

    [Fact]
    public void PostgresNeedsAConnectionStringAndEmbeddedIgnoresIt()
    {
        Assert.Empty(new JobsOptions { Engine = "embedded" }.Problems("not a connection string at all"));
        var postgres = new JobsOptions { Engine = "Postgres" };
        Assert.True(postgres.IsPostgres);
        Assert.Contains("ConnectionStrings:DistillLab is required when Jobs:Engine is \"postgres\"", Assert.Single(postgres.Problems("")));
        Assert.Contains("DISTILLLAB_ConnectionStrings__DistillLab", Assert.Single(postgres.Problems(null)));
        Assert.Empty(postgres.Problems("Host=127.0.0.1;Port=5433;Database=distilllab;Username=postgres"));
    }

    [Theory]
    [InlineData("Hots=db;Database=x")]
    [InlineData("Database=distilllab;Username=postgres")]
    public void AnUnusableConnectionStringIsRefusedWithoutEchoingIt(string connectionString)
    {
        string problem = Assert.Single(new JobsOptions { Engine = "postgres" }.Problems(connectionString + ";Password=s3cret"));
        Assert.Contains("ConnectionStrings:DistillLab is not a usable PostgreSQL connection string", problem);
        Assert.DoesNotContain("s3cret", problem);
    }

    [Fact]
    public void TheDashboardDoesNotStartInPostgresModeWithoutAConnectionString()
    {
        using var host = new DashboardHost(new ScriptedEngine(), settings: new Dictionary<string, string?>
        {
            ["Jobs:Engine"] = "postgres", ["ConnectionStrings:DistillLab"] = "",
        });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => host.Http());
        Assert.Contains("ConnectionStrings:DistillLab is required", error.Message);
    }
}
