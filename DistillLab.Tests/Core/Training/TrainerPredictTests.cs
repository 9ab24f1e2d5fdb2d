using DistillLab.Tests.Support;
using DistillLab.Core.Inference;
using DistillLab.Core.Models;
using DistillLab.Core.Training;
using DistillLab.Tests.Core;
using static TorchSharp.torch;

namespace DistillLab.Tests.Core.Training;

[Collection(TorchCollection.Name)]
public class TrainerPredictTests
{
    [Fact]
    public void PredictGivesEachImagesLogitsInTheSetsOrderWhateverTheBatchSize()
    {
        var set = TinyData.Images(11, 48, seed: 9);
        using var model = new StudentNet(new ModelSpec(ModelKind.Student, 48));
        var trainer = new Trainer(CPU, _ => { }, default);

        var whole = trainer.Predict(model, set, batchSize: 16);
        var inFours = trainer.Predict(model, set, batchSize: 4); // three batches, the last one of 3

        Assert.Equal(11, whole.Length);
        for (int i = 0; i < set.Count; i++)
        {
            // The model alone on image i, outside the batching: the row Predict gave for it.
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var alone = model.call(Predictor.ToTensor(set, i, 1)).data<float>().ToArray();
            Assert.Equal(alone, whole[i], (a, b) => Math.Abs(a - b) < 1e-5f);
            Assert.Equal(whole[i], inFours[i], (a, b) => Math.Abs(a - b) < 1e-5f);
        }
    }

    [Fact]
    public void PredictLeavesTheModelInEvalModeWithoutDropout()
    {
        var set = TinyData.Images(4, 48, seed: 2);
        using var model = new TeacherNet(new ModelSpec(ModelKind.Teacher, 48));
        model.train();
        var trainer = new Trainer(CPU, _ => { }, default);
        // With dropout on, two passes would differ; in eval mode they are the same.
        Assert.Equal(trainer.Predict(model, set, 4), trainer.Predict(model, set, 4));
        Assert.False(model.training);
    }
}
