namespace Cascade.Training.Onnx;

/// <summary>What a derived ONNX model says about itself: <c>producer_name</c>, <c>doc_string</c> and the graph's name.</summary>
public sealed record OnnxModelIdentity(string ProducerName, string DocString, string GraphName);
