import json


# Deliberate mistake: the Python runtime never awaits a coroutine, so every invocation fails.
async def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"orders": 0})}
