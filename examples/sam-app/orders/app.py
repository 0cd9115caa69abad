import json
import os
import uuid

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])


def create_order(event, context):
    order = json.loads(event.get("body") or "{}")
    order["id"] = str(uuid.uuid4())
    TABLE.put_item(Item=order)
    return {"statusCode": 201, "body": json.dumps({"id": order["id"]})}
