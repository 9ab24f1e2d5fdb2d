using System.Text.Json;
using DistillLab.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DistillLab.Web.Training;

/// <summary>Saves and loads the trained models of a run. Kept in one place so it follows the Core checkpoint format.</summary>
internal static class ModelFiles
{
    public static void Save(nn.Module<Tensor, Tensor> model, ModelSpec spec, string path)
    {
        var temp = path + ".part";
        model.save(temp);
        File.WriteAllText(path + ".spec.json", JsonSerializer.Serialize(spec));
        File.Move(temp, path, overwrite: true);
    }

    private static ModelSpec Spec(string path) => JsonSerializer.Deserialize<ModelSpec>(File.ReadAllText(path + ".spec.json"))!;

    public static TeacherNet LoadTeacher(string path)
    {
        var model = new TeacherNet(Spec(path));
        model.load(path);
        return model;
    }

    public static StudentNet LoadStudent(string path)
    {
        var model = new StudentNet(Spec(path));
        model.load(path);
        return model;
    }
}
