using System.ComponentModel.DataAnnotations;
using Rerank.Runtime.Plugins;

namespace Rerank.Runtime.Tests.Plugins;

public sealed class ParamTableTests
{
    public enum Fill
    {
        Dfs,
        BreadthFirst,
    }

    public sealed class Sample
    {
        [Range(1, 1024)]
        public int Width { get; set; } = 4;

        [Range(0.0, 10.0, MinimumIsExclusive = true)]
        public float LearningRate { get; set; } = 1e-3f;

        [Range(0.0, 1.0)]
        public float[] Alphas { get; set; } = [0.5f, 0.25f];

        public string Prior { get; set; } = "ctr";

        public string[] Exclude { get; set; } = [];

        public Fill Fill { get; set; } = Fill.BreadthFirst;

        public bool? Context { get; set; }

        public Teacher? TeacherParams { get; set; }
    }

    public sealed class Teacher
    {
        [Range(1, 64)]
        public int Layers { get; set; } = 6;
    }

    [Fact]
    public void Rows_EveryKindOfParam_HasKeyTypeDefaultAndRange() =>
        ParamTable.Rows(typeof(Sample)).ShouldBe(
        [
            new("width", "int", "4", "[1, 1024]"),
            new("learning_rate", "float", "0.001", "(0, 10]"),
            new("alphas", "float[]", "[0.5, 0.25]", "[0, 1] each"),
            new("prior", "string", "ctr", ""),
            new("exclude", "string[]", "[]", ""),
            new("fill", "one of dfs, breadth_first", "breadth_first", ""),
            new("context", "bool?", "unset", ""),
            new("teacher_params", "mapping", "unset", ""),
            new("teacher_params.layers", "int", "6", "[1, 64]"),
        ]);
}
