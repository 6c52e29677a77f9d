namespace Cascade.PeerBenchmarks;

/// <summary>
/// The command line: <c>mlnet|plain --data DIR --gate PACK_DIR --classifier PACK_DIR --models DIR</c>, or
/// <c>compare --cascade FILE --peer FILE [--name NAME] [--pack PACK_DIR]</c> (with a pack, images enlarged to its short side are counted apart).
/// </summary>
public sealed record PeerArguments(string Command, IReadOnlyDictionary<string, string> Options)
{
    public const string Usage =
        "usage: Cascade.PeerBenchmarks mlnet|plain --data DIR --gate PACK_DIR --classifier PACK_DIR --models DIR\n" +
        "       Cascade.PeerBenchmarks compare --cascade CASCADE_JSONL --peer PEER_JSONL [--name NAME] [--pack PACK_DIR]";

    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["mlnet"] = ["--data", "--gate", "--classifier", "--models"],
        ["plain"] = ["--data", "--gate", "--classifier", "--models"],
        ["compare"] = ["--cascade", "--peer", "--name", "--pack"],
    };

    private static readonly HashSet<string> Optional = ["--name", "--pack"];

    /// <exception cref="PeerInputException">An unknown command or option, an option without a value, or a required one missing.</exception>
    public static PeerArguments Parse(string[] args)
    {
        if (args.Length == 0 || !Allowed.TryGetValue(args[0], out var names))
            throw new PeerInputException(args.Length == 0 ? "No command given." : $"Unknown command '{args[0]}'.");
        var options = new Dictionary<string, string>();
        for (var i = 1; i < args.Length; i += 2)
        {
            if (!names.Contains(args[i])) throw new PeerInputException($"Unknown option '{args[i]}' for {args[0]}.");
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--")) throw new PeerInputException($"Option '{args[i]}' needs a value.");
            if (!options.TryAdd(args[i], args[i + 1])) throw new PeerInputException($"Option '{args[i]}' is given twice.");
        }
        var missing = names.Where(n => !Optional.Contains(n) && !options.ContainsKey(n)).ToList();
        if (missing.Count > 0) throw new PeerInputException($"{args[0]} needs {string.Join(", ", missing)}.");
        return new PeerArguments(args[0], options);
    }

    public string this[string option] => Options[option];

    public string? Get(string option) => Options.GetValueOrDefault(option);
}
