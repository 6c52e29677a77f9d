"""Calls Cascade with Debian's python3-grpcio (the reference C-core implementation) and prints one JSON report.

usage: python_client.py PORT STUB_DIR BEAR_JPEG
"""
import json
import sys

port, stub_dir, bear_path = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, stub_dir)

import grpc  # noqa: E402
from cascade.v1 import cascade_pb2 as pb, cascade_pb2_grpc as rpc  # noqa: E402
import health_pb2, health_pb2_grpc  # noqa: E402

report = {}
channel = grpc.insecure_channel(f"127.0.0.1:{port}")
orchestrator = rpc.OrchestratorServiceStub(channel)
bear = open(bear_path, "rb").read()

result = orchestrator.Classify(pb.ClassifyRequest(image=bear, client_request_id="python-bear"), timeout=60)
report["classify"] = {"state": pb.State.Name(result.state), "verdict": pb.Verdict.Name(result.verdict), "label": result.label,
                      "gate_score": result.gate.score, "trace_id": result.trace_id}


def status_of(call):
    try:
        call()
        return {"code": "OK"}
    except grpc.RpcError as error:
        return {"code": error.code().name, "details": error.details()}


report["corrupt"] = status_of(lambda: orchestrator.Classify(pb.ClassifyRequest(image=b"\xff\xd8\xff\xe0 not a jpeg"), timeout=30))
report["deadline"] = status_of(lambda: orchestrator.Classify(pb.ClassifyRequest(image=bear), timeout=0.002))
report["not_found"] = status_of(lambda: orchestrator.GetResult(pb.GetResultRequest(submission_id="00000000-0000-0000-0000-000000000001"), timeout=10))

submitted = orchestrator.Submit(pb.ClassifyRequest(image=bear), timeout=10).submission_id
watched = [r for r in orchestrator.WatchResults(pb.WatchResultsRequest(submission_ids=[submitted]), timeout=60)]
report["watch"] = {"count": len(watched), "same_id": all(r.submission_id == submitted for r in watched),
                   "states": [pb.State.Name(r.state) for r in watched]}

gate = rpc.GateServiceStub(channel).Evaluate(pb.EvaluateRequest(image=bear), timeout=30)
report["gate"] = {"accepted": gate.accepted, "score": gate.score, "model": gate.model.name}

health = health_pb2_grpc.HealthStub(channel)
report["health"] = health_pb2.HealthCheckResponse.ServingStatus.Name(health.Check(health_pb2.HealthCheckRequest(service=""), timeout=10).status)
report["health_unknown"] = status_of(lambda: health.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=10))
first_watch = next(iter(health.Watch(health_pb2.HealthCheckRequest(service="cascade.v1.OrchestratorService"), timeout=10)))
report["health_watch"] = health_pb2.HealthCheckResponse.ServingStatus.Name(first_watch.status)

print(json.dumps(report))
