using System.Text.Json;
using Cascade.PeerBenchmarks.Output;

namespace Cascade.PeerBenchmarks.Comparison;

/// <summary>
/// A peer's lines against <c>cascade classify --json</c>'s, image by image (joined on the full path): how many
/// outcomes (label, UNKNOWN, NO_OBJECT or FAILED) agree, how the others moved, and how far the gate scores are apart.
/// </summary>
public sealed class VerdictComparison
{
    private readonly List<(VerdictLine Cascade, VerdictLine Peer)> _pairs = [];

    public int Missing { get; private init; }
    public int Images => _pairs.Count;
    public int Agreeing => _pairs.Count(p => p.Cascade.Outcome == p.Peer.Outcome);
    public double Agreement => Images == 0 ? 0 : (double)Agreeing / Images;

    /// <summary>The mean |difference| of the gate scores of the images both scored.</summary>
    public double MeanGateDifference => GateDifferences().Average();

    /// <exception cref="PeerInputException">A file is missing or a line is not what cascade or a peer prints.</exception>
    public static VerdictComparison Read(string cascadeFile, string peerFile) =>
        Of(ReadLines(cascadeFile, CascadeLine), ReadLines(peerFile, VerdictLine.FromJson));

    /// <summary>The lines of the same images, matched on their full paths.</summary>
    public static VerdictComparison Of(IEnumerable<VerdictLine> cascadeLines, IEnumerable<VerdictLine> peerLines)
    {
        var cascade = cascadeLines.ToDictionary(l => Path.GetFullPath(l.File));
        var peer = peerLines.ToDictionary(l => Path.GetFullPath(l.File));
        var comparison = new VerdictComparison { Missing = cascade.Keys.Except(peer.Keys).Count() + peer.Keys.Except(cascade.Keys).Count() };
        foreach (var (file, line) in cascade)
            if (peer.TryGetValue(file, out var peerLine)) comparison._pairs.Add((line, peerLine));
        return comparison;
    }

    /// <summary>
    /// A few lines of text: agreement, gate score differences, the moves between outcomes, the first disagreements.
    /// With <paramref name="enlarged"/> (whether preprocessing enlarges a file), agreement and gate differences of the
    /// enlarged images and of the others apart: the resizers differ most when they enlarge.
    /// </summary>
    public IEnumerable<string> Report(string peerName, Func<string, bool>? enlarged = null, int examples = 10)
    {
        yield return $"{peerName} vs cascade: {Agreeing} of {Images} images agree ({Agreement:P2}); {Missing} only in one of the two";
        var gateDifferences = GateDifferences().ToArray();
        yield return $"  gate score |difference|: mean {gateDifferences.Average():F4}, max {gateDifferences.Max():F4}; " +
                     $"within 0.01: {gateDifferences.Count(d => d <= 0.01)}, within 0.05: {gateDifferences.Count(d => d <= 0.05)}";
        if (enlarged is not null)
            foreach (var part in _pairs.GroupBy(p => enlarged(p.Cascade.File)).OrderBy(g => g.Key))
            {
                var differences = part.Select(GateDifference).OfType<double>().DefaultIfEmpty().ToArray();
                yield return $"  {(part.Key ? "enlarged" : "not enlarged")}: {part.Count(p => p.Cascade.Outcome == p.Peer.Outcome)} of {part.Count()} agree; " +
                             $"gate score |difference| mean {differences.Average():F4}, max {differences.Max():F4}";
            }
        foreach (var move in _pairs.Where(p => p.Cascade.Outcome != p.Peer.Outcome)
                     .GroupBy(p => $"{p.Cascade.Outcome} -> {p.Peer.Outcome}").OrderByDescending(g => g.Count()))
            yield return $"  cascade {move.Key}: {move.Count()}";
        foreach (var (cascade, peer) in _pairs.Where(p => p.Cascade.Outcome != p.Peer.Outcome).Take(examples))
            yield return $"  {cascade.File}: cascade {cascade.Outcome} (gate {cascade.Gate:F3}), {peerName} {peer.Outcome} (gate {peer.Gate:F3})";
    }

    private IEnumerable<double> GateDifferences() => _pairs.Select(GateDifference).OfType<double>().DefaultIfEmpty();

    private static double? GateDifference((VerdictLine Cascade, VerdictLine Peer) pair) =>
        pair.Cascade.Gate is { } cascade && pair.Peer.Gate is { } peer ? Math.Abs(cascade - peer) : null;

    private static IEnumerable<VerdictLine> ReadLines(string file, Func<JsonElement, VerdictLine> read)
    {
        if (!File.Exists(file)) throw new PeerInputException($"No such file: {file}");
        var number = 0;
        foreach (var text in File.ReadLines(file))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            VerdictLine line;
            try
            {
                using var json = JsonDocument.Parse(text);
                line = read(json.RootElement);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new PeerInputException($"{file}:{number}: not a verdict line ({e.Message}): {text[..Math.Min(text.Length, 120)]}");
            }
            yield return line;
        }
    }

    /// <summary>A line of <c>cascade classify --json</c>: path, verdict, label, gate.score; failed ones have state FAILED and an errorCode.</summary>
    private static VerdictLine CascadeLine(JsonElement line)
    {
        var path = line.GetProperty("path").GetString()!;
        if (line.GetProperty("state").GetString() is "FAILED" or "TIMED_OUT") return VerdictLine.Failed(path, line.GetProperty("errorCode").GetString()!);
        // Proto JSON leaves out zero values: a gate score of 0 has no "score".
        var gate = line.GetProperty("gate").TryGetProperty("score", out var score) ? score.GetSingle() : 0f;
        return line.GetProperty("verdict").GetString() switch
        {
            VerdictLine.LabelVerdict => VerdictLine.Labelled(path, gate, line.GetProperty("label").GetString()!),
            VerdictLine.UnknownVerdict => VerdictLine.Unknown(path, gate),
            VerdictLine.NoObjectVerdict => VerdictLine.NoObject(path, gate),
            var other => throw new InvalidOperationException($"unknown verdict '{other}'"),
        };
    }

}
