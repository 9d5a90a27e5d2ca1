import json


def openapi_json() -> str:
    from gongkai.api.router import api

    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
