"""A plain AMQP client (pika, no MassTransit): submits one image to cascade.submissions as raw JSON and prints
the JSON results it gets on its reply queue and on the cascade.results fanout exchange.

usage: amqp_client.py HOST PORT VHOST IMAGE_FILE CLIENT_REQUEST_ID REPLY_QUEUE
"""
import base64
import json
import sys
import time

import pika

host, port, vhost, image_file, client_request_id, reply_queue = sys.argv[1:7]
connection = pika.BlockingConnection(pika.ConnectionParameters(host, int(port), vhost, pika.PlainCredentials("guest", "guest")))
channel = connection.channel()
# Durable, like the queue the orchestrator declares when it first sends to it.
channel.queue_declare(reply_queue, durable=True)
channel.exchange_declare("cascade.results", "fanout", durable=True)
results_queue = channel.queue_declare("", exclusive=True).method.queue
channel.queue_bind(results_queue, "cascade.results")

with open(image_file, "rb") as f:
    body = json.dumps({"clientRequestId": client_request_id, "imageBase64": base64.b64encode(f.read()).decode(), "replyTo": reply_queue})
channel.basic_publish("", "cascade.submissions", body, pika.BasicProperties(content_type="application/json", delivery_mode=2))


def wait_for(queue, predicate, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        method, _, payload = channel.basic_get(queue, auto_ack=True)
        if method is None:
            time.sleep(0.05)
            continue
        message = json.loads(payload)
        if predicate(message):
            return message
        print(f"skipped on {queue}: {payload[:300]!r}", file=sys.stderr)
    raise SystemExit(f"no result on {queue} within {seconds} s")


mine = lambda m: m.get("clientRequestId") == client_request_id
print(json.dumps({"reply": wait_for(reply_queue, mine), "broadcast": wait_for(results_queue, mine)}))
connection.close()
