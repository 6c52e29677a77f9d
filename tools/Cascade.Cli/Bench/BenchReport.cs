using System.Text;
using Spectre.Console;

namespace Cascade.Cli.Bench;

/// <summary>Collects benchmark rows and notes; prints them as a table and as Markdown for the repo.</summary>
public sealed class BenchReport(string command)
{
    private readonly List<(string Section, LatencyStats Stats)> _rows = [];
    private readonly List<string> _notes = [];

    public void Add(string section, LatencyStats stats)
    {
        _rows.Add((section, stats));
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(section)}[/] {Markup.Escape(stats.Name)}: [bold]{stats.PerSecond:0.0}[/] images/s, p50 {stats.P50Ms:0.0} ms, p95 {stats.P95Ms:0.0} ms, p99 {stats.P99Ms:0.0} ms");
    }

    public void Note(string note)
    {
        _notes.Add(note);
        AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(note)}[/]");
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"Command: `{command}`  ").AppendLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC").AppendLine();
        text.AppendLine("| section | run | images | images/s | p50 ms | p95 ms | p99 ms |").AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var (section, s) in _rows)
            text.AppendLine($"| {section} | {s.Name} | {s.Count} | {s.PerSecond:0.0} | {s.P50Ms:0.0} | {s.P95Ms:0.0} | {s.P99Ms:0.0} |");
        if (_notes.Count > 0) text.AppendLine().AppendJoin(Environment.NewLine, _notes.Select(n => $"- {n}")).AppendLine();
        return text.ToString();
    }
}
