using Cascade.PeerBenchmarks.Decisions;
using Cascade.PeerBenchmarks.Output;
using Cascade.PeerBenchmarks.Packs;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace Cascade.PeerBenchmarks.MlNet;

/// <summary>
/// The job as an ML.NET user writes it: LoadImages, ResizeImages (isotropic crop to the short-side square),
/// ExtractPixels, a CustomMapping for the centre crop and per-channel normalization, ApplyOnnxModel; one
/// PredictionEngine per model, one image at a time (batch 1); the classifier engine gets the gate's tensor of the
/// images the gate accepts.
/// </summary>
public sealed class MlNetCascade : IDisposable
{
    private readonly CascadeRule _rule;
    private readonly PredictionEngine<ImagePathRow, GateRow> _gate;
    private readonly PredictionEngine<TensorRow, LogitsRow> _classifier;

    public MlNetCascade(PeerPack gate, PeerPack classifier, CascadeRule rule)
    {
        _rule = rule;
        var ml = new MLContext();
        var input = gate.Input;
        var tensorSchema = TensorSchema(gate);

        var gatePipeline = ml.Transforms.LoadImages("Image", imageFolder: "", inputColumnName: nameof(ImagePathRow.Path))
            .Append(ml.Transforms.ResizeImages("Square", input.ShortSide, input.ShortSide, inputColumnName: "Image",
                resizing: ImageResizingEstimator.ResizingKind.IsoCrop, cropAnchor: ImageResizingEstimator.Anchor.Center))
            .Append(ml.Transforms.ExtractPixels(nameof(PixelsRow.Pixels), "Square", interleavePixelColors: false, outputAsFloatArray: true))
            .Append(ml.Transforms.CustomMapping<PixelsRow, TensorRow>(new CentreCropNormalizer(input).Map, contractName: null,
                outputSchemaDefinition: tensorSchema))
            .Append(ModelOn(ml, gate));
        var gateModel = gatePipeline.Fit(ml.Data.LoadFromEnumerable(Array.Empty<ImagePathRow>()));
        _gate = ml.Model.CreatePredictionEngine<ImagePathRow, GateRow>(gateModel);

        var classifierModel = ModelOn(ml, classifier).Fit(ml.Data.LoadFromEnumerable(Array.Empty<TensorRow>(), tensorSchema));
        _classifier = ml.Model.CreatePredictionEngine<TensorRow, LogitsRow>(classifierModel, inputSchemaDefinition: tensorSchema);
    }

    public VerdictLine Classify(string file)
    {
        GateRow gated;
        try
        {
            gated = _gate.Predict(new ImagePathRow { Path = file });
        }
        catch (ArgumentException e) // what LoadImages throws for a file Skia cannot decode
        {
            return VerdictLine.Failed(file, e.Message);
        }
        var score = _rule.GateScore(gated.Logits);
        if (!_rule.Accepts(score)) return VerdictLine.NoObject(file, score);
        var classified = _classifier.Predict(new TensorRow { Tensor = gated.Tensor });
        return _rule.Classify(file, score, classified.Logits);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _classifier.Dispose();
    }

    /// <summary>The model on the Tensor column, its scores in Logits (ONNX columns carry the model's own tensor names).</summary>
    private static IEstimator<ITransformer> ModelOn(MLContext ml, PeerPack pack) =>
        ml.Transforms.CopyColumns(pack.Input.Name, nameof(TensorRow.Tensor))
            .Append(ml.Transforms.ApplyOnnxModel(pack.Output.Name, pack.Input.Name, pack.ModelPath))
            .Append(ml.Transforms.CopyColumns(nameof(LogitsRow.Logits), pack.Output.Name));

    /// <summary>TensorRow's schema with Tensor sized 3 x height x width, as ApplyOnnxModel needs a known size.</summary>
    private static SchemaDefinition TensorSchema(PeerPack pack)
    {
        var schema = SchemaDefinition.Create(typeof(TensorRow));
        schema[nameof(TensorRow.Tensor)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3, pack.Input.Height, pack.Input.Width);
        return schema;
    }
}
