using Cascade.Orchestrator.Extensions;
using Cascade.ServiceDefaults;
using Cascade.ServiceDefaults.Bus;
using Cascade.ServiceDefaults.Grpc;

// The orchestrator: REST and plain-AMQP submissions, the per-submission saga, results by id.
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddOrchestrator(builder.Configuration);
builder.Services.AddCascadeBus(builder.Configuration, bus => bus.AddOrchestratorConsumers());
builder.AddCascadeGrpc();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCascadeGrpc();
app.MapOrchestratorGrpc();
app.MapSubmissionEndpoints();
app.MapWebPage();
app.Run();
