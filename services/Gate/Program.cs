using Cascade.Grpc.Server;
using Cascade.Gate.Extensions;
using Cascade.ServiceDefaults;
using Cascade.ServiceDefaults.Bus;

// The gate service: consumes GateImage, refuses images without the object, forwards the rest to the classifier.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddGate(builder.Configuration);
builder.Services.AddCascadeBus(builder.Configuration, bus => bus.AddGateConsumers());
builder.AddGrpcEndpoint();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcHealth(app.MapGateGrpc());
app.Run();
