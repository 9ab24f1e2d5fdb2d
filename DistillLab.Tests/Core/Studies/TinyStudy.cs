using DistillLab.Tests.Support;
using DistillLab.Core;
using DistillLab.Core.Data;
using DistillLab.Core.Experiments;
using DistillLab.Core.Studies;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Studies;

/// <summary>A tiny real study (TinyData, 2 seeds, 2 α × 2 T, 2 student epochs), run once with a work folder and shared
/// by the runner tests: each study takes a while even this small.</summary>
public sealed class TinyStudy : IDisposable
{
    public static readonly StudyConfig Config = new()
    {
        // A high learning rate, so that two short epochs already tell settings apart.
        Base = new LabConfig { Data = "tiny", TeacherEpochs = 1, StudentEpochs = 2, BatchSize = 16, LearningRate = 0.01, Device = "cpu" },
        Alpha = StudyValues.Of(0.1, 0.9), Temperature = StudyValues.Of(1, 5), Seeds = 2,
    };

    public string WorkFolder { get; } = Directory.CreateTempSubdirectory("dl-study-").FullName;
    public StudyResult Result { get; }
    public List<LabEvent> Events { get; } = [];

    public TinyStudy() => Result = Run(Config, Data(), new StudyInputs { WorkFolder = WorkFolder }, Events);

    public static LabData Data() => TinyData.Lab(train: 96);

    public static StudyResult Run(StudyConfig config, LabData data, StudyInputs? inputs = null, List<LabEvent>? events = null,
        CancellationToken cancellationToken = default) =>
        new StudyRunner(new LabEnvironment(Path.GetTempPath())).Run(config, data, CPU, inputs ?? new StudyInputs(),
            e => events?.Add(e), cancellationToken);

    public void Dispose() => Directory.Delete(WorkFolder, recursive: true);
}
