using DistillLab.Tests.Support;
using DistillLab.Core.Studies;

namespace DistillLab.Tests.Core.Studies;

public sealed class StudySamplerTests
{
    [Fact]
    public void TheGridTriesEveryCombinationOnEverySeed()
    {
        var config = new StudyConfig { Alpha = StudyValues.Of(0.1, 0.9), Temperature = StudyValues.Of(1, 5, 10), T2 = "both", Seeds = 3 };

        var trials = StudySampler.Trials(config);

        Assert.Equal(2 * 3 * 2 * 3, trials.Count);
        Assert.Equal(trials.Count, trials.Distinct().Count());
        foreach (var alpha in new[] { 0.1, 0.9 })
            foreach (var t in new[] { 1.0, 5, 10 })
                foreach (var t2 in new[] { false, true })
                    foreach (var seed in new[] { 42, 43, 44 })
                        Assert.Contains(new TrialKey(alpha, t, t2, seed), trials);
        // Seed by seed: one teacher at a time.
        Assert.All(trials.Take(12), t => Assert.Equal(42, t.Seed));
    }

    [Fact]
    public void RandomDrawsTheAskedNumberOfDistinctSettingsAndRepeatsWithItsSeed()
    {
        var config = new StudyConfig { Alpha = StudyValues.Range(0, 1, 5), Temperature = StudyValues.Range(1, 20, 6), Sampler = "random", Trials = 7, SamplerSeed = 3 };

        var first = StudySampler.Settings(config);
        var again = StudySampler.Settings(config);
        var other = StudySampler.Settings(config with { SamplerSeed = 4 });

        Assert.Equal(7, first.Count);
        Assert.Equal(7, first.Distinct().Count());
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(7 * 3, StudySampler.Trials(config).Count);
    }
}
