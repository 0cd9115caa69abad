"""Handlers run through both the official emulator (RIE + awslambdaric) and lambda-ls, to compare."""
import datetime
import decimal


def ok(event, context):
    return {"message": "héllo ✓", "event": event, "list": [1, 2.5, None, True], "nested": {"a": {"b": []}}}


def returns_none(event, context):
    return None


def returns_str(event, context):
    return "plain text"


def returns_decimal(event, context):
    return {"price": decimal.Decimal("12"), "ratio": decimal.Decimal("0.5")}


def raise_value(event, context):
    raise ValueError("bad value: %s" % event.get("n"))


class OrderError(Exception):
    pass


def raise_custom(event, context):
    raise OrderError("order 42 failed")


def marshal(event, context):
    return {"when": datetime.datetime(2020, 1, 2, 3, 4, 5)}


async def async_handler(event, context):
    return 1


def one_arg(event):
    return event


def context_shape(event, context):
    names = [n for n in dir(context) if not n.startswith("_")]
    return {
        "attributes": sorted(names),
        "types": {n: type(getattr(context, n)).__name__ for n in sorted(names) if not callable(getattr(context, n))},
        "remaining_type": type(context.get_remaining_time_in_millis()).__name__,
        "request_id_len": len(context.aws_request_id),
    }
