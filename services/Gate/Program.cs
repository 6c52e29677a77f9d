using Cascade.Gate.Extensions;
using Cascade.ServiceDefaults;
using Cascade.ServiceDefaults.Bus;
using Cascade.ServiceDefaults.Grpc;

// The gate service: consumes GateImage, refuses images without the object, forwards the rest to the classifier.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddGate(builder.Configuration);
builder.Services.AddCascadeBus(builder.Configuration, bus => bus.AddGateConsumers());
builder.AddCascadeGrpc();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCascadeGrpc();
app.MapGateGrpc();
app.Run();
