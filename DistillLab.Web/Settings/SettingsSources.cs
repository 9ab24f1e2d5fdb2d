using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace DistillLab.Web.Settings;

/// <summary>Where every verb (dashboard, worker, lab, study, bench) reads its settings from, in one place: the one
/// appsettings.json beside the app, then environment variables named DISTILLLAB_&lt;Section&gt;__&lt;Key&gt;
/// (DISTILLLAB_Jobs__Engine, DISTILLLAB_ConnectionStrings__DistillLab), so one set of variables configures them all.</summary>
/// <remarks>A host (the dashboard) also keeps ASP.NET Core's own sources: unprefixed variables (Data__Directory, which
/// the docs long named), then the DISTILLLAB_ ones over them, then command-line arguments over both.</remarks>
public static class SettingsSources
{
    public const string EnvironmentPrefix = "DISTILLLAB_";

    /// <summary>The settings of a verb without a host (lab, study, bench).</summary>
    public static IConfigurationRoot Load() => new ConfigurationBuilder().AddDistillLabSources().Build();

    /// <summary>Puts appsettings.json first (under everything else) and the DISTILLLAB_ variables after any unprefixed
    /// variables the builder reads, or last when it reads none.</summary>
    public static IConfigurationBuilder AddDistillLabSources(this IConfigurationBuilder builder)
    {
        builder.Sources.Insert(0, new JsonConfigurationSource
        {
            Path = "appsettings.json", Optional = false, ReloadOnChange = false,
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
        });
        var prefixed = new EnvironmentVariablesConfigurationSource { Prefix = EnvironmentPrefix };
        int unprefixed = builder.Sources.ToList().FindLastIndex(s => s is EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        if (unprefixed >= 0) builder.Sources.Insert(unprefixed + 1, prefixed);
        else builder.Sources.Add(prefixed);
        return builder;
    }
}
