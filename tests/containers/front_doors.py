"""Classifies one bear and one non-bear through each front door of a running stack (gRPC with Debian's
python3-grpcio, REST with urllib, the AMQP queue with pika) and checks the verdicts. Prints one line per call;
exits 1 if any verdict is wrong.

usage: front_doors.py HTTP_PORT GRPC_PORT AMQP_PORT STUB_DIR BEAR_JPEG NEGATIVE_JPEG
(stubs: python3 -m grpc_tools.protoc -I shared/Cascade.Protos/Proto --python_out=DIR --grpc_python_out=DIR cascade/v1/cascade.proto)
"""
import base64
import json
import sys
import urllib.request
import uuid

http_port, grpc_port, amqp_port, stub_dir, bear_path, negative_path = sys.argv[1:7]
sys.path.insert(0, stub_dir)

import grpc  # noqa: E402
import pika  # noqa: E402
from cascade.v1 import cascade_pb2 as pb, cascade_pb2_grpc as rpc  # noqa: E402

orchestrator = rpc.OrchestratorServiceStub(grpc.insecure_channel(f"127.0.0.1:{grpc_port}"))
amqp = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", int(amqp_port), "/", pika.PlainCredentials("guest", "guest"))).channel()


def via_grpc(image):
    result = orchestrator.Classify(pb.ClassifyRequest(image=image), timeout=60)
    return pb.Verdict.Name(result.verdict), result.label


def via_rest(image):
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="photo.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{http_port}/api/v1/classify", body,
                                     {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        result = json.load(response)
    return result["verdict"], result.get("label") or ""


def via_amqp(image):
    reply_queue = f"front-doors-{uuid.uuid4().hex}"
    amqp.queue_declare(reply_queue, durable=True)
    amqp.basic_publish("", "cascade.submissions", json.dumps({
        "clientRequestId": reply_queue, "imageBase64": base64.b64encode(image).decode(), "replyTo": reply_queue}),
        pika.BasicProperties(content_type="application/json", delivery_mode=2))
    for _, _, body in amqp.consume(reply_queue, auto_ack=True, inactivity_timeout=60):
        if body is None:
            raise SystemExit(f"no AMQP result on {reply_queue} within 60 s")
        amqp.cancel()
        amqp.queue_delete(reply_queue)
        result = json.loads(body)
        return result["verdict"], result.get("label") or ""


# Each door names verdicts its own way: protobuf enum names, JSON enum names.
expected = {"bear": ({"LABEL", "Label"}, "grizzly"), "negative": ({"NO_OBJECT", "NoObject"}, "")}
images = {"bear": open(bear_path, "rb").read(), "negative": open(negative_path, "rb").read()}
failures = 0
for door, classify in (("grpc", via_grpc), ("rest", via_rest), ("amqp", via_amqp)):
    for kind, image in images.items():
        verdict, label = classify(image)
        verdicts, expected_label = expected[kind]
        ok = verdict in verdicts and label == expected_label
        failures += not ok
        print(f"{door:5} {kind:9} verdict={verdict} label={label or '-'} {'ok' if ok else 'WRONG'}")
sys.exit(1 if failures else 0)
