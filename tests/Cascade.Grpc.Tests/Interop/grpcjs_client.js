// Calls Cascade with @grpc/grpc-js (pure JavaScript HTTP/2 implementation) and prints one JSON report.
// usage: node grpcjs_client.js PORT PROTO_ROOT BEAR_JPEG
const path = require('path');
const fs = require('fs');
const [port, protoRoot, bearPath] = process.argv.slice(2);
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const options = { keepCase: false, longs: String, enums: String, defaults: true, includeDirs: [protoRoot] };
const cascade = grpc.loadPackageDefinition(loader.loadSync('cascade/v1/cascade.proto', options)).cascade.v1;
const health = grpc.loadPackageDefinition(loader.loadSync('grpc/health/v1/health.proto', options)).grpc.health.v1;
const address = `127.0.0.1:${port}`;
const deadline = () => new Date(Date.now() + 60000);

const orchestrator = new cascade.OrchestratorService(address, grpc.credentials.createInsecure());
const healthClient = new health.Health(address, grpc.credentials.createInsecure());
const report = {};
orchestrator.Classify({ image: fs.readFileSync(bearPath) }, { deadline: deadline() }, (error, result) => {
  report.classify = error ? { error: error.code, details: error.details } : { state: result.state, verdict: result.verdict, label: result.label };
  healthClient.Check({ service: '' }, { deadline: deadline() }, (healthError, response) => {
    report.health = healthError ? { error: healthError.code } : response.status;
    console.log(JSON.stringify(report));
    process.exit(0);
  });
});
