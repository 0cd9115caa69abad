raise RuntimeError("config missing at import")


def handler(event, context):
    return 1
