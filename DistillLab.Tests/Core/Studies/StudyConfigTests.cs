using DistillLab.Tests.Support;
using System.Text.Json;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;

namespace DistillLab.Tests.Core.Studies;

public sealed class StudyConfigTests
{
    private static ConfigError Single(StudyConfig config, string field)
    {
        var errors = config.Validate();
        return Assert.Single(errors, e => e.Field == field);
    }

    [Fact]
    public void TheDefaultStudyIsValidAndHasTwentySevenTrials()
    {
        var config = new StudyConfig();
        Assert.Empty(config.Validate());
        Assert.Equal(27, config.TrialCount());
        Assert.Equal([42, 43, 44], config.SeedList());
    }

    [Fact]
    public void MoreThanFiveHundredTrialsAreRefusedSayingHowMany()
    {
        var config = new StudyConfig { Alpha = StudyValues.Range(0, 1, 11), Temperature = StudyValues.Range(1, 20, 20), T2 = "both", Seeds = 3 };
        var error = Single(config, "space");
        Assert.Contains("has 1,320 trials", error.Message);
        Assert.Contains("440 settings × 3 seeds", error.Message);
        Assert.Contains("at most 500", error.Message);
    }

    [Fact]
    public void AnEmptySpaceIsRefused()
    {
        Assert.Contains("at least one value", Single(new StudyConfig { Alpha = StudyValues.Of() }, "alpha").Message);
        Assert.Contains("count must be at least 1", Single(new StudyConfig { Temperature = StudyValues.Range(1, 5, 0) }, "temperature").Message);
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    public void AlphaOutsideZeroToOneIsRefused(double alpha)
    {
        var error = Single(new StudyConfig { Alpha = StudyValues.Of(0.5, alpha) }, "alpha");
        Assert.Contains("between 0 and 1", error.Message);
    }

    [Fact]
    public void ARangeOfAlphaReachingPastOneIsRefused() =>
        Assert.Contains("range max must be between 0 and 1", Single(new StudyConfig { Alpha = StudyValues.Range(0, 2, 3) }, "alpha").Message);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void TemperatureAtOrBelowZeroIsRefused(double temperature) =>
        Assert.Contains("greater than 0", Single(new StudyConfig { Temperature = StudyValues.Of(temperature) }, "temperature").Message);

    [Fact]
    public void ALogRangeMustStayAboveZero() =>
        Assert.Contains("greater than 0", Single(new StudyConfig { Temperature = StudyValues.Range(0, 10, 3, "log") }, "temperature").Message);

    [Fact]
    public void FewerThanTwoSeedsAreRefusedBecauseAnIntervalNeedsTwo() =>
        Assert.Contains("a confidence interval needs at least two seeds", Single(new StudyConfig { Seeds = 1 }, "seeds").Message);

    [Fact]
    public void UnknownSamplerPruningAndT2AreRefusedNamingWhatIsAllowed()
    {
        Assert.Contains("grid or random", Single(new StudyConfig { Sampler = "bayes" }, "sampler").Message);
        Assert.Contains("none or halving", Single(new StudyConfig { Pruning = "median" }, "pruning").Message);
        Assert.Contains("off, on or both", Single(new StudyConfig { T2 = "maybe" }, "t2").Message);
    }

    [Fact]
    public void RandomNeedsATrialCountThatFitsTheGrid()
    {
        Assert.Contains("required with the random sampler", Single(new StudyConfig { Sampler = "random" }, "trials").Message);
        Assert.Contains("only 9", Single(new StudyConfig { Sampler = "random", Trials = 10 }, "trials").Message);
        Assert.Contains("random sampler only", Single(new StudyConfig { Trials = 4 }, "trials").Message);
        Assert.Empty(new StudyConfig { Sampler = "random", Trials = 4 }.Validate());
    }

    [Fact]
    public void HalvingNeedsASecondEpochToStopBefore() =>
        Assert.Contains("at least 2 student epochs",
            Single(new StudyConfig { Pruning = "halving", Base = new LabConfig { StudentEpochs = 1 } }, "pruning").Message);

    [Fact]
    public void BaseConfigErrorsAreReportedButItsReplacedAlphaIsNot()
    {
        var errors = new StudyConfig { Base = new LabConfig { Alpha = 7, BatchSize = 0 } }.Validate();
        Assert.Single(errors, e => e.Field == "batchSize");
        Assert.DoesNotContain(errors, e => e.Field == "alpha");
    }

    [Fact]
    public void DuplicateValuesAreRefusedRatherThanTrainedTwice() =>
        Assert.Contains("0.5 more than once", Single(new StudyConfig { Alpha = StudyValues.Of(0.5, 0.5) }, "alpha").Message);

    [Fact]
    public void JsonIsTheBaseFieldsAndTheSpaceSideBySideAndReadsBack()
    {
        var config = new StudyConfig
        {
            Base = new LabConfig { StudentEpochs = 3, Seed = 7 },
            Alpha = StudyValues.Of(0.1, 0.9), Temperature = StudyValues.Range(1, 10, 3, "log"),
            T2 = "both", Seeds = 4, Sampler = "random", Trials = 5, SamplerSeed = 11, Pruning = "halving",
        };
        var json = JsonSerializer.Serialize(config, LabReport.JsonOptions);
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(3, root.GetProperty("studentEpochs").GetInt32());
        Assert.Equal([0.1, 0.9], root.GetProperty("alpha").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal("log", root.GetProperty("temperature").GetProperty("scale").GetString());
        Assert.False(root.TryGetProperty("scaleByTemperatureSquared", out _));
        Assert.Equal("both", root.GetProperty("t2").GetString());

        var back = JsonSerializer.Deserialize<StudyConfig>(json, LabReport.JsonOptions)!;
        Assert.Equal(config, back);
    }
}
