using Cascade.PeerBenchmarks;
using Cascade.PeerBenchmarks.Comparison;
using Cascade.PeerBenchmarks.Decisions;
using Cascade.PeerBenchmarks.Images;
using Cascade.PeerBenchmarks.MlNet;
using Cascade.PeerBenchmarks.Packs;
using Cascade.PeerBenchmarks.PlainLoop;

// The peers of `cascade classify --json DIR` (scripts/peers.sh), and the comparison of their verdicts with cascade's.
PeerArguments arguments;
try
{
    arguments = PeerArguments.Parse(args);
}
catch (PeerInputException e)
{
    Console.Error.WriteLine($"error: {e.Message}\n{PeerArguments.Usage}");
    return 2;
}

try
{
    if (arguments.Command == "compare")
    {
        var comparison = VerdictComparison.Read(arguments["--cascade"], arguments["--peer"]);
        var shortSide = arguments.Get("--pack") is { } pack ? PackManifest.Read(Path.Combine(pack, PeerPack.ManifestFileName)).Input.ShortSide : (int?)null;
        var name = arguments.Get("--name") ?? Path.GetFileNameWithoutExtension(arguments["--peer"]);
        foreach (var line in comparison.Report(name, shortSide is { } side ? file => ImageHeader.ShortSide(file) < side : null)) Console.WriteLine(line);
        return 0;
    }

    var gate = PeerPack.Load(arguments["--gate"], arguments["--models"]);
    var classifier = PeerPack.Load(arguments["--classifier"], arguments["--models"]);
    if (!gate.PreprocessesLike(classifier))
        throw new PeerInputException($"{gate.Manifest.Name} and {classifier.Manifest.Name} preprocess differently; the peers hand the gate's tensor to the classifier.");
    var rule = new CascadeRule(gate, classifier);
    var files = ImageFolder.Images(arguments["--data"]);

    using var output = new StreamWriter(Console.OpenStandardOutput());
    if (arguments.Command == "mlnet")
    {
        using var mlnet = new MlNetCascade(gate, classifier, rule);
        foreach (var file in files) output.WriteLine(mlnet.Classify(file).ToJson());
    }
    else
    {
        using var plain = new PlainLoopCascade(gate, classifier, rule);
        foreach (var line in plain.Classify(files)) output.WriteLine(line.ToJson());
    }
    return 0;
}
catch (PeerInputException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
