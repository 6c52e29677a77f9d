"""Reads one trace's spans (the JSON list deploy/otlp-receiver serves for a trace id) on stdin and tells whether
it is whole: spans from every service named on the command line, and each span's parent among the spans (only the
root has none). Prints "whole: ..." or "incomplete: ..." and then one line per span; exits 1 unless whole.

usage: curl .../traces/TRACE_ID | one_trace.py SERVICE_NAME...
"""
import json
import sys

expected = set(sys.argv[1:])
spans = json.load(sys.stdin)
span_ids = {s["spanId"] for s in spans}
services = {s["service"] for s in spans}
missing_services = sorted(expected - services)
orphans = [s for s in spans if s["parentSpanId"] and s["parentSpanId"] not in span_ids]
roots = [s for s in spans if not s["parentSpanId"]]

problems = []
if missing_services:
    problems.append(f"no spans from {', '.join(missing_services)}")
if orphans:
    problems.append(f"{len(orphans)} spans whose parent never arrived ({', '.join(sorted({s['parentSpanId'] for s in orphans}))})")
if len(roots) != 1:
    problems.append(f"{len(roots)} root spans")
summary = f"{len(spans)} spans from {', '.join(sorted(services)) or 'no service'}"
print(f"{'incomplete: ' + '; '.join(problems) + ' -' if problems else 'whole:'} {summary}")
for span in sorted(spans, key=lambda s: s["startTimeUnixNano"]):
    print(f"  {span['service']:22} {span['kind']:17} {span['name']:50} {span['spanId']} <- {span['parentSpanId'] or 'root'}")
sys.exit(1 if problems else 0)
