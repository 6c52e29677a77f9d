using Cascade.Grpc.Server;
using Cascade.Orchestrator.Grpc;
using Cascade.Orchestrator.Submissions;

namespace Cascade.Orchestrator.Extensions;

public static class OrchestratorGrpcEndpoints
{
    /// <summary>Maps <c>cascade.v1.OrchestratorService</c>; returns its name for the health service.</summary>
    public static string MapOrchestratorGrpc(this IEndpointRouteBuilder endpoints)
    {
        var service = new OrchestratorGrpcService(endpoints.ServiceProvider.GetRequiredService<SubmissionService>());
        endpoints.MapGrpcService(service.Definition());
        return OrchestratorGrpcService.Name;
    }
}
