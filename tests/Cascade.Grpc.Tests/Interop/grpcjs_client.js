// Calls Cascade with @grpc/grpc-js (pure JavaScript HTTP/2 implementation) and prints one JSON report.
// usage: node grpcjs_client.js PORT PROTO_ROOT GRPC_PROTO_ROOT RPC_PROTO_ROOT BEAR_JPEG
//   PROTO_ROOT: our protos; GRPC_PROTO_ROOT: grpc/health/v1 (Debian grpc-proto); RPC_PROTO_ROOT: google/rpc.
const fs = require('fs');
const [port, protoRoot, grpcProtoRoot, rpcProtoRoot, bearPath] = process.argv.slice(2);
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');
const protobuf = require('protobufjs');

const options = { keepCase: false, longs: String, enums: String, defaults: true, includeDirs: [protoRoot, grpcProtoRoot] };
const cascade = grpc.loadPackageDefinition(loader.loadSync('cascade/v1/cascade.proto', options)).cascade.v1;
const health = grpc.loadPackageDefinition(loader.loadSync('grpc/health/v1/health.proto', options)).grpc.health.v1;
const address = `127.0.0.1:${port}`;
const deadline = (ms = 60000) => new Date(Date.now() + ms);

// google.rpc.Status from the grpc-status-details-bin trailer, and the ErrorInfo among its details.
const rpcTypes = new protobuf.Root();
rpcTypes.resolvePath = (origin, target) => (target.startsWith('google/rpc/') ? `${rpcProtoRoot}/${target}` : protobuf.util.path.resolve(origin, target));
rpcTypes.loadSync(['google/rpc/status.proto', 'google/rpc/error_details.proto']);
const Status = rpcTypes.lookupType('google.rpc.Status');
const ErrorInfo = rpcTypes.lookupType('google.rpc.ErrorInfo');
function errorInfo(error) {
  const [details] = error.metadata.get('grpc-status-details-bin');
  if (!details) return null;
  const info = Status.decode(details).details.find((any) => any.type_url.endsWith('/google.rpc.ErrorInfo'));
  return info ? ErrorInfo.toObject(ErrorInfo.decode(info.value)) : null;
}

const orchestrator = new cascade.OrchestratorService(address, grpc.credentials.createInsecure());
const healthClient = new health.Health(address, grpc.credentials.createInsecure());
const call = (method, request, ms) => new Promise((resolve) =>
  method.call(orchestrator, request, { deadline: deadline(ms) }, (error, result) => resolve({ error, result })));

(async () => {
  const report = {};
  const bear = fs.readFileSync(bearPath);
  const classified = await call(orchestrator.Classify, { image: bear });
  report.classify = classified.error ? { error: classified.error.code, details: classified.error.details }
    : { state: classified.result.state, verdict: classified.result.verdict, label: classified.result.label };
  const corrupt = await call(orchestrator.Classify, { image: Buffer.from('\xff\xd8\xff\xe0 not a jpeg', 'latin1') });
  report.corrupt = { code: grpc.status[corrupt.error.code], error_info: errorInfo(corrupt.error) };
  const late = await call(orchestrator.Classify, { image: bear }, 2);
  report.deadline = { code: grpc.status[late.error.code] };
  report.health = await new Promise((resolve) => healthClient.Check({ service: '' }, { deadline: deadline() },
    (error, response) => resolve(error ? { error: error.code } : response.status)));
  console.log(JSON.stringify(report));
  process.exit(0);
})();
