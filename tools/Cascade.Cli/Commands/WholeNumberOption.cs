using System.CommandLine;
using System.Globalization;

namespace Cascade.Cli.Commands;

/// <summary>
/// An integer option with a lower bound, whose bad values ("abc", "0") are one usage error in words
/// (<c>--concurrency must be a whole number of at least 1, not 'abc'</c>) rather than a conversion error naming System.Int32.
/// </summary>
internal static class WholeNumberOption
{
    public static Option<int> Create(string name, string description, int minimum, int defaultValue = 0) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return defaultValue;
            var text = result.Tokens[^1].Value;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum) return value;
            result.AddError($"{name} must be a whole number of at least {minimum}, not '{text}'.");
            return defaultValue;
        },
    };
}
