using Cascade.Classifier.Extensions;
using Cascade.ServiceDefaults;
using Cascade.ServiceDefaults.Bus;
using Cascade.ServiceDefaults.Grpc;

// The classifier service: consumes ClassifyImage (images the gate accepted) and publishes per-label scores.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddClassifier(builder.Configuration);
builder.Services.AddCascadeBus(builder.Configuration, bus => bus.AddClassifierConsumers());
builder.AddCascadeGrpc();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCascadeGrpc();
app.MapClassifierGrpc();
app.Run();
