using System.Globalization;
using System.Net;
using System.Text;

namespace Cascade.Training.Evaluation;

/// <summary>
/// One self-contained HTML file (no scripts, no external files): a side-by-side summary, the precision-recall
/// curves as inline SVG with each gate's threshold marked, confusion matrices, and the misclassified images
/// embedded as base64 thumbnails.
/// </summary>
public static class HtmlReport
{
    private static readonly string[] Colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
    /// <summary>Larger files are listed by name instead of embedded, to keep the report small.</summary>
    private const long MaxEmbeddedBytes = 256 * 1024;
    /// <summary>Fewer gate positives or negatives than this, and the curve gets a note on how little it can show.</summary>
    public const int FewImagesForACurve = 30;

    public static string Render(IReadOnlyList<CascadeMetrics> cascades, int images, string split, string dataset)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>Cascade evaluation</title>
            <style>
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            table{border-collapse:collapse;margin:0.5em 0 1.5em}
            th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:right}
            th{background:#f3f3f3}
            td.diag{background:#e3f4e3;font-weight:bold}
            td.off{background:#fbe3e3}
            .thumbs{display:flex;flex-wrap:wrap;gap:0.6em}
            figure{margin:0;width:150px;font-size:0.75em}
            figure img{max-width:150px;max-height:150px;display:block}
            figcaption{overflow-wrap:anywhere}
            p.note{color:#555;font-size:0.9em;max-width:45em}
            </style></head><body>
            """);
        html.Append($"<h1>Cascade evaluation</h1><p>{Encode(dataset)} &middot; split <b>{Encode(split)}</b> &middot; {images} images &middot; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC</p>");
        Summary(html, cascades);
        html.Append("<h2>Gate precision-recall</h2>");
        Curves(html, cascades);
        foreach (var cascade in cascades) Details(html, cascade);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Summary(StringBuilder html, IReadOnlyList<CascadeMetrics> cascades)
    {
        html.Append("<h2>Side by side</h2><table><tr><th></th>");
        foreach (var c in cascades) html.Append($"<th>{Encode(c.Name)}</th>");
        html.Append("</tr>");
        Row(html, "gate pack", cascades, c => Encode(c.GatePack));
        Row(html, "classifier pack", cascades, c => Encode(c.ClassifierPack));
        Row(html, "gate threshold", cascades, c => F(c.GateThreshold, 4));
        Row(html, "gate recall", cascades, c => $"{F(c.Gate.Recall, 4)} ({c.Gate.TruePositives}/{c.Gate.Positives})");
        Row(html, "gate precision", cascades, c => $"{F(c.Gate.Precision, 4)} ({c.Gate.FalsePositives} FP of {c.Gate.Negatives})");
        Row(html, "gate ROC AUC", cascades, c => F(c.Gate.RocAuc, 4));
        Row(html, "fine accuracy (own rule)", cascades, c => $"{F(c.Fine.Accuracy, 4)} ({c.Fine.Correct}/{c.Fine.Total})");
        Row(html, "fine accuracy (argmax)", cascades, c => F(c.FineArgmaxAccuracy, 4));
        Row(html, "verdict accuracy", cascades, c => $"{F(c.Verdicts.Accuracy, 4)} ({c.Verdicts.Correct}/{c.Verdicts.Total})");
        html.Append("</table>");
        html.Append("<p class=\"note\" id=\"fine-accuracy\">Fine accuracy is the classifier alone on the labelled images, the gate ignored. "
            + "<b>Own rule</b>: the pack's decision as it runs in the cascade, each label's score against that label's threshold, so it may "
            + "answer none (counted wrong). <b>Argmax</b>: the highest-scoring label, thresholds ignored. "
            + "Verdict accuracy is the whole cascade: no object, a label or unknown.</p>");
    }

    private static void Row(StringBuilder html, string name, IReadOnlyList<CascadeMetrics> cascades, Func<CascadeMetrics, string> value)
    {
        html.Append($"<tr><th>{name}</th>");
        foreach (var c in cascades) html.Append($"<td>{value(c)}</td>");
        html.Append("</tr>");
    }

    /// <summary>Recall on x, precision on y (zoomed to 0.8..1 where the interesting part is), a dot at each threshold in use.</summary>
    private static void Curves(StringBuilder html, IReadOnlyList<CascadeMetrics> cascades)
    {
        const int size = 420, pad = 45;
        const double low = 0.8;
        double X(double recall) => pad + Math.Max(recall - low, 0) / (1 - low) * (size - 2 * pad);
        double Y(double precision) => size - pad - Math.Max(precision - low, 0) / (1 - low) * (size - 2 * pad);
        html.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size + 220}\" height=\"{size}\" role=\"img\" aria-label=\"precision-recall curves\">");
        html.Append($"<rect x=\"{pad}\" y=\"{pad}\" width=\"{size - 2 * pad}\" height=\"{size - 2 * pad}\" fill=\"none\" stroke=\"#999\"/>");
        for (var t = low; t <= 1.0001; t += 0.05)
        {
            html.Append($"<text x=\"{F(X(t), 1)}\" y=\"{size - pad + 16}\" font-size=\"11\" text-anchor=\"middle\">{F(t, 2)}</text>");
            html.Append($"<text x=\"{pad - 6}\" y=\"{F(Y(t) + 4, 1)}\" font-size=\"11\" text-anchor=\"end\">{F(t, 2)}</text>");
        }
        html.Append($"<text x=\"{size / 2}\" y=\"{size - 8}\" font-size=\"12\" text-anchor=\"middle\">recall</text>");
        html.Append($"<text x=\"12\" y=\"{size / 2}\" font-size=\"12\" transform=\"rotate(-90 12 {size / 2})\" text-anchor=\"middle\">precision</text>");
        for (var i = 0; i < cascades.Count; i++)
        {
            var c = cascades[i];
            var colour = Colours[i % Colours.Length];
            var points = string.Join(" ", c.PrecisionRecallCurve.Select(p => $"{F(X(p.Recall), 1)},{F(Y(p.Precision), 1)}"));
            html.Append($"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" points=\"{points}\"/>");
            html.Append($"<circle cx=\"{F(X(c.Gate.Recall), 1)}\" cy=\"{F(Y(c.Gate.Precision), 1)}\" r=\"4\" fill=\"{colour}\"><title>{Encode(c.Name)}: threshold {F(c.GateThreshold, 4)}</title></circle>");
            html.Append($"<rect x=\"{size}\" y=\"{pad + i * 20}\" width=\"12\" height=\"12\" fill=\"{colour}\"/><text x=\"{size + 18}\" y=\"{pad + i * 20 + 11}\" font-size=\"12\">{Encode(c.Name)} (t={F(c.GateThreshold, 3)})</text>");
        }
        html.Append("</svg>");
        if (cascades.Any(c => c.Gate.Positives < FewImagesForACurve || c.Gate.Negatives < FewImagesForACurve))
        {
            var fewest = cascades.MinBy(c => Math.Min(c.Gate.Positives, c.Gate.Negatives))!;
            html.Append($"<p class=\"note\" id=\"small-test-set\">Only {fewest.Gate.Positives} images the gate should accept and {fewest.Gate.Negatives} it should refuse: "
                + $"each curve has at most {fewest.Gate.Positives} steps, and a gate that scores every one of them above every other "
                + "draws only the top edge of the square (precision 1 at every recall). Fewer than " + FewImagesForACurve + " of either, "
                + "the curve says little; evaluate more images (a larger --max-per-folder, or --split all) for one that does.</p>");
        }
    }

    private static void Details(StringBuilder html, CascadeMetrics c)
    {
        html.Append($"<h2>{Encode(c.Name)}</h2><p>gate {Encode(c.GatePack)} at threshold {F(c.GateThreshold, 4)}; classifier {Encode(c.ClassifierPack)}</p>");
        html.Append("<h3>Fine classifier (labelled images; rows truth, columns prediction)</h3>");
        Matrix(html, c.Fine);
        html.Append("<h3>End-to-end verdicts</h3>");
        Matrix(html, c.Verdicts);
        html.Append($"<h3>Misclassified ({c.Verdicts.Total - c.Verdicts.Correct}; showing {c.Errors.Count})</h3><div class=\"thumbs\">");
        foreach (var error in c.Errors)
        {
            var caption = $"{Encode(Path.GetFileName(error.Path))}<br>expected <b>{Encode(error.Expected)}</b>, got <b>{Encode(error.Predicted)}</b><br>gate {F(error.GateScore, 3)}";
            var info = new FileInfo(error.Path);
            var image = info.Exists && info.Length <= MaxEmbeddedBytes
                ? $"<img alt=\"{Encode(info.Name)}\" src=\"data:{MimeType(info.Extension)};base64,{Convert.ToBase64String(File.ReadAllBytes(error.Path))}\">"
                : "";
            html.Append($"<figure>{image}<figcaption>{caption}</figcaption></figure>");
        }
        html.Append("</div>");
    }

    private static void Matrix(StringBuilder html, ConfusionMatrix matrix)
    {
        html.Append("<table><tr><th>truth \\ predicted</th>");
        foreach (var name in matrix.Classes) html.Append($"<th>{Encode(name)}</th>");
        html.Append("</tr>");
        for (var i = 0; i < matrix.Classes.Count; i++)
        {
            if (matrix.Counts[i].Sum() == 0) continue;
            html.Append($"<tr><th>{Encode(matrix.Classes[i])}</th>");
            for (var j = 0; j < matrix.Classes.Count; j++)
            {
                var count = matrix.Counts[i][j];
                var css = i == j ? " class=\"diag\"" : count > 0 ? " class=\"off\"" : "";
                html.Append($"<td{css}>{count}</td>");
            }
            html.Append("</tr>");
        }
        html.Append("</table>");
    }

    private static string MimeType(string extension) => extension.ToLowerInvariant() switch
    {
        ".png" => "image/png",
        ".webp" => "image/webp",
        ".gif" => "image/gif",
        _ => "image/jpeg",
    };

    private static string F(double value, int decimals) => double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals, CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
