using Cascade.Grpc.Protocol;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cascade.Grpc.Server;

public static class GrpcEndpointExtensions
{
    /// <summary>Maps POST /{service}/{method} for each method, and UNIMPLEMENTED for any other gRPC path.</summary>
    public static IEndpointRouteBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, GrpcServiceBuilder service)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(GrpcServerOptions.Section).Get<GrpcServerOptions>() ?? new();
        options.Validate();
        foreach (var (method, handle) in service.Methods)
            endpoints.MapPost($"/{service.ServiceName}/{method}", http => handle(http, options)).WithDisplayName($"gRPC {service.ServiceName}/{method}");
        MapUnimplementedFallback(endpoints);
        return endpoints;
    }

    private static void MapUnimplementedFallback(IEndpointRouteBuilder endpoints)
    {
        const string marker = "Cascade.Grpc.UnimplementedFallback";
        if (endpoints.DataSources.SelectMany(s => s.Endpoints).Any(e => e.DisplayName == marker)) return;
        endpoints.MapPost("/{service}/{method}", async http =>
        {
            if (!GrpcCall.IsGrpcContentType(http.Request.ContentType))
            {
                http.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await GrpcCall.EndAsync(http, GrpcStatusCode.Unimplemented, $"Method {http.Request.Path} is not implemented.");
        }).WithDisplayName(marker).WithOrder(int.MaxValue);
    }
}
