"""Malformed and repeated submissions from a plain AMQP client (pika): each must be answered on its reply queue.
Prints {case: first answer on that case's reply queue} as JSON, and how many messages cascade.submissions_error holds.

usage: amqp_refusals.py HOST PORT VHOST IMAGE_FILE OTHER_IMAGE_FILE PREFIX
"""
import base64
import json
import sys
import time

import pika

host, port, vhost, image_file, other_image_file, prefix = sys.argv[1:7]
connection = pika.BlockingConnection(pika.ConnectionParameters(host, int(port), vhost, pika.PlainCredentials("guest", "guest")))
channel = connection.channel()


def b64(path):
    with open(path, "rb") as f:
        return base64.b64encode(f.read()).decode()


def submit(case, body, reply_to_property=None):
    queue = f"{prefix}-{case}"
    channel.queue_declare(queue, durable=True)
    properties = pika.BasicProperties(content_type="application/json", delivery_mode=2, reply_to=reply_to_property)
    channel.basic_publish("", "cascade.submissions", body if isinstance(body, bytes) else json.dumps(body), properties)
    return queue


def first_answer(queue, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        method, _, payload = channel.basic_get(queue, auto_ack=True)
        if method is not None:
            return json.loads(payload)
        time.sleep(0.05)
    return None


image, other = b64(image_file), b64(other_image_file)
queues = {
    # Not JSON at all: only the AMQP reply_to property says where to answer.
    "not-json": submit("not-json", b"\x00\x01 this is not json", reply_to_property=f"{prefix}-not-json"),
    "numeric-id": submit("numeric-id", {"clientRequestId": 12345, "imageBase64": image, "replyTo": f"{prefix}-numeric-id"}),
    "bad-base64": submit("bad-base64", {"clientRequestId": f"{prefix}-b64", "imageBase64": "not base64!!", "replyTo": f"{prefix}-bad-base64"}),
}
answers = {case: first_answer(queue) for case, queue in queues.items()}

# A submission, then the same client request id again with its own reply queue, then with another image.
first = submit("original", {"clientRequestId": f"{prefix}-same", "imageBase64": image, "replyTo": f"{prefix}-original"})
answers["original"] = first_answer(first)
answers["resubmitted"] = first_answer(submit("resubmitted", {"clientRequestId": f"{prefix}-same", "imageBase64": image, "replyTo": f"{prefix}-resubmitted"}))
answers["conflict"] = first_answer(submit("conflict", {"clientRequestId": f"{prefix}-same", "imageBase64": other, "replyTo": f"{prefix}-conflict"}))

try:
    errors = channel.queue_declare("cascade.submissions_error", durable=True, passive=True).method.message_count
except pika.exceptions.ChannelClosedByBroker:
    errors = 0  # never declared: nothing was ever moved there
print(json.dumps({"answers": answers, "errorQueue": errors}))
connection.close()
