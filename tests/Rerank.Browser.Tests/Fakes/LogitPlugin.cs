using System.Globalization;
using Rerank.Abstractions;

namespace Rerank.Browser.Tests.Fakes;

/// <summary>
/// A trainable plugin written for the report test: a generator that orders candidates by a logistic model of their
/// ranking-stage priors, fitted to logged clicks by full-batch gradient descent, so a run yields real loss curves.
/// </summary>
public sealed class LogitPlugin : IRerankPlugin
{
    public string Id => "toy";

    public string Version => "1.0.0";

    public void Register(IPluginRegistry registry) =>
        registry.AddGenerator<LogitOptions>("logit", (o, _) => new LogitGenerator(o), "Candidates ordered by a logistic model of their priors fitted to logged clicks.");

    public sealed class LogitOptions : IValidatableOptions
    {
        public int Epochs { get; set; } = 8;

        public double LearningRate { get; set; } = 2;

        public IEnumerable<string> Validate()
        {
            if (Epochs < 1)
            {
                yield return $"epochs must be 1 or more, got {Epochs}";
            }

            if (!(LearningRate > 0))
            {
                yield return $"learning_rate must be positive, got {LearningRate}";
            }
        }
    }

    /// <summary>Weights over standardised priors (z = Σ wⱼ·(xⱼ − μⱼ)/σⱼ + b), so gradient descent converges in a few epochs.</summary>
    private sealed class LogitGenerator(LogitOptions options) : IGenerator, ITrainable
    {
        private double[]? _weights;
        private double[] _mean = [];
        private double[] _scale = [];

        public string Name => "logit";

        public bool IsTrained => _weights is not null;

        public IReadOnlyList<Slate>[] Generate(RerankBatch batch, int count, RerankContext context)
        {
            var w = _weights ?? throw new InvalidOperationException("logit: not trained");
            var result = new IReadOnlyList<Slate>[batch.Count];
            for (var b = 0; b < batch.Count; b++)
            {
                var candidates = batch.Requests[b].Candidates;
                var order = Enumerable.Range(0, candidates.Count).OrderByDescending(i => Logit(w, candidates[i].Priors)).ThenBy(i => i).ToArray();
                result[b] = [new Slate(order, 0)];
            }

            return result;
        }

        public TrainResult Train(TrainingData data, TrainingContext context)
        {
            var started = DateTime.UtcNow;
            var width = data.Train.SelectMany(l => l.Request.Candidates).Select(c => c.Priors.Length).DefaultIfEmpty(0).Max();
            Standardise(data.Train, width);
            var w = new double[width + 1];
            var curve = new List<EpochLoss>();
            for (var epoch = 1; epoch <= options.Epochs; epoch++)
            {
                context.Cancellation.ThrowIfCancellationRequested();
                var gradient = new double[w.Length];
                var loss = Pass(w, data.Train, gradient);
                for (var j = 0; j < w.Length; j++)
                {
                    w[j] -= options.LearningRate * gradient[j];
                }

                curve.Add(new EpochLoss(epoch, loss, data.Validation.Count > 0 ? Pass(w, data.Validation, null) : null));
                context.Progress?.Report(new TrainProgress("logit", epoch, options.Epochs, 1, 1, loss));
            }

            _weights = w;
            return new TrainResult(curve, DateTime.UtcNow - started);
        }

        /// <summary>Three lines: weights (bias last), prior means, prior scales.</summary>
        public void Save(string path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            static string Line(double[] v) => string.Join(' ', v.Select(x => x.ToString("R", CultureInfo.InvariantCulture)));
            File.WriteAllLines(path, [Line(_weights ?? []), Line(_mean), Line(_scale)]);
        }

        public void Load(string path)
        {
            var lines = File.ReadAllLines(path).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToArray();
            (_weights, _mean, _scale) = (lines[0], lines[1], lines[2]);
        }

        private void Standardise(IReadOnlyList<LoggedList> lists, int width)
        {
            var xs = lists.SelectMany(l => l.Exposed.Select(i => l.Request.Candidates[i].Priors)).ToList();
            _mean = [.. Enumerable.Range(0, width).Select(j => xs.Count == 0 ? 0 : xs.Average(x => (double)x[j]))];
            _scale = [.. Enumerable.Range(0, width).Select(j => xs.Count == 0 ? 1 : Math.Max(1e-6, Math.Sqrt(xs.Average(x => Math.Pow(x[j] - _mean[j], 2)))))];
        }

        /// <summary>Mean binary cross-entropy over exposed positions; adds its gradient to <paramref name="gradient"/> when given.</summary>
        private double Pass(double[] w, IReadOnlyList<LoggedList> lists, double[]? gradient)
        {
            var loss = 0.0;
            var n = 0;
            foreach (var list in lists)
            {
                for (var p = 0; p < list.Exposed.Length; p++)
                {
                    var priors = list.Request.Candidates[list.Exposed[p]].Priors;
                    var y = list.Clicks[p] > 0 ? 1.0 : 0.0;
                    var q = Math.Clamp(1 / (1 + Math.Exp(-Logit(w, priors))), 1e-7, 1 - 1e-7);
                    loss -= (y * Math.Log(q)) + ((1 - y) * Math.Log(1 - q));
                    n++;
                    if (gradient is not null)
                    {
                        for (var j = 0; j < priors.Length && j < _mean.Length; j++)
                        {
                            gradient[j] += (q - y) * (priors[j] - _mean[j]) / _scale[j];
                        }

                        gradient[^1] += q - y;
                    }
                }
            }

            if (gradient is not null && n > 0)
            {
                for (var j = 0; j < gradient.Length; j++)
                {
                    gradient[j] /= n;
                }
            }

            return n == 0 ? 0 : loss / n;
        }

        private double Logit(double[] w, float[] priors)
        {
            var z = w[^1];
            for (var j = 0; j < priors.Length && j < w.Length - 1 && j < _mean.Length; j++)
            {
                z += w[j] * (priors[j] - _mean[j]) / _scale[j];
            }

            return z;
        }
    }
}
