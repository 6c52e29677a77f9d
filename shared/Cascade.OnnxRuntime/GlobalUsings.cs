// The ONNX Runtime sources expect these to be in scope.
global using System.Reflection;
