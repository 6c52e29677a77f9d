namespace Cascade.Training.Evaluation;

/// <summary>Counts of (true class, predicted class) over named classes; rows are the truth.</summary>
public sealed class ConfusionMatrix
{
    public ConfusionMatrix(IReadOnlyList<string> classes)
    {
        Classes = classes;
        Counts = new int[classes.Count][];
        for (var i = 0; i < classes.Count; i++) Counts[i] = new int[classes.Count];
    }

    public IReadOnlyList<string> Classes { get; }
    /// <summary>Counts[truth][predicted].</summary>
    public int[][] Counts { get; }
    public int Total => Counts.Sum(r => r.Sum());
    public int Correct => Enumerable.Range(0, Classes.Count).Sum(i => Counts[i][i]);
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;

    public void Add(string truth, string predicted) => Counts[IndexOf(truth)][IndexOf(predicted)]++;

    public int this[string truth, string predicted] => Counts[IndexOf(truth)][IndexOf(predicted)];

    private int IndexOf(string name)
    {
        for (var i = 0; i < Classes.Count; i++)
            if (Classes[i] == name) return i;
        throw new ArgumentException($"'{name}' is not one of the classes {string.Join(", ", Classes)}.");
    }
}
