import json

from gongkai.api.router import api


def openapi_json() -> str:
    return json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
