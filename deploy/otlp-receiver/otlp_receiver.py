"""A test double of the OpenTelemetry collector, for machines that cannot pull otel/opentelemetry-collector-contrib
(tests/containers/observability.sh, through docker-compose.observability-local.yml). It is NOT a collector: it
receives OTLP over gRPC, as the collector does on 4317, keeps the spans it gets in memory, and answers one question
over HTTP: which spans carry a given trace id. Metrics and logs are accepted and counted, never decoded or kept.

  GET /traces/TRACE_ID   (32 lowercase hex digits) -> JSON list of that trace's spans
  GET /health            -> 200 once both servers listen

usage: otlp_receiver.py [--otlp-grpc-port 4317] [--query-port 8080]
"""
import argparse
import collections
import json
import re
import threading
from concurrent import futures
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
from opentelemetry.proto.trace.v1 import trace_pb2

# The oldest spans go first beyond this, so a long-running stack cannot exhaust the container's memory.
MAX_SPANS = 100_000
TRACE_PATH = re.compile(r"^/traces/([0-9a-f]{32})$")


class SpanStore:
    def __init__(self):
        self._lock = threading.Lock()
        self._spans = collections.deque(maxlen=MAX_SPANS)
        self.ignored_requests = collections.Counter()

    def add(self, request):
        records = []
        for resource_spans in request.resource_spans:
            service = next((a.value.string_value for a in resource_spans.resource.attributes if a.key == "service.name"), "")
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    records.append({
                        "service": service,
                        "scope": scope_spans.scope.name,
                        "name": span.name,
                        "kind": trace_pb2.Span.SpanKind.Name(span.kind),
                        "traceId": span.trace_id.hex(),
                        "spanId": span.span_id.hex(),
                        "parentSpanId": span.parent_span_id.hex(),
                        "startTimeUnixNano": span.start_time_unix_nano,
                    })
        with self._lock:
            self._spans.extend(records)
        return len(records)

    def trace(self, trace_id):
        with self._lock:
            return [s for s in self._spans if s["traceId"] == trace_id]

    def ignore(self, service):
        with self._lock:
            self.ignored_requests[service] += 1


class TraceService(trace_service_pb2_grpc.TraceServiceServicer):
    def __init__(self, store):
        self._store = store

    def Export(self, request, context):
        count = self._store.add(request)
        print(f"received {count} spans", flush=True)
        return trace_service_pb2.ExportTraceServiceResponse()


def accept_and_count(store, service):
    """The services export metrics by OTLP too; an unanswered call would only fill their logs with errors. The
    request stays raw bytes (no deserializer), and empty bytes are a valid empty Export*ServiceResponse."""
    def export(_request, _context):
        store.ignore(service)
        return b""
    return grpc.method_handlers_generic_handler(service, {"Export": grpc.unary_unary_rpc_method_handler(export)})


def query_handler(store):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/health":
                return self._reply(200, {"status": "ok", "ignoredRequests": dict(store.ignored_requests)})
            match = TRACE_PATH.match(self.path)
            if match is None:
                return self._reply(404, {"error": "GET /traces/TRACE_ID (32 lowercase hex digits) or /health"})
            return self._reply(200, store.trace(match.group(1)))

        def _reply(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_):
            pass  # one line per poll would bury the lines that say what arrived

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--otlp-grpc-port", type=int, default=4317, choices=range(1, 65536), metavar="PORT")
    parser.add_argument("--query-port", type=int, default=8080, choices=range(1, 65536), metavar="PORT")
    arguments = parser.parse_args()

    store = SpanStore()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    trace_service_pb2_grpc.add_TraceServiceServicer_to_server(TraceService(store), server)
    server.add_generic_rpc_handlers([accept_and_count(store, f"opentelemetry.proto.collector.{signal}.v1.{name}")
                                     for signal, name in (("metrics", "MetricsService"), ("logs", "LogsService"))])
    server.add_insecure_port(f"0.0.0.0:{arguments.otlp_grpc_port}")
    server.start()
    print(f"OTLP/gRPC on :{arguments.otlp_grpc_port}, spans by trace id on http://:{arguments.query_port}/traces/", flush=True)
    ThreadingHTTPServer(("0.0.0.0", arguments.query_port), query_handler(store)).serve_forever()


if __name__ == "__main__":
    main()
