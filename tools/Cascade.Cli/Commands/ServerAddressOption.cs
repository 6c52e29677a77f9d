using System.CommandLine;

namespace Cascade.Cli.Commands;

/// <summary>An option holding an absolute http(s) address of a Cascade gRPC endpoint.</summary>
internal static class ServerAddressOption
{
    public static Option<Uri?> Create(string description, Uri? defaultValue = null)
    {
        var option = new Option<Uri?>("--server")
        {
            Description = description,
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var address) && address.Scheme is "http" or "https") return address;
                result.AddError($"--server: '{text}' is not an http:// or https:// address (e.g. http://127.0.0.1:5001).");
                return null;
            },
        };
        if (defaultValue is not null) option.DefaultValueFactory = _ => defaultValue;
        return option;
    }
}
