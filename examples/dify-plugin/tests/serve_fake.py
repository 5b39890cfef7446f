"""Serve the plugin's endpoints on 127.0.0.1 with the stand-in SDK and session (for the browser test).

Routes mimic the plugin daemon's endpoint URLs: /e/<hook>/chat, /e/<hook>/talk, /e/<hook>/widget/<name>.
The session replays tests/fixtures/chunks.json. Settings come from the DIFY_CHAT_SETTINGS environment
variable (JSON); the widget files from WIDGET_DIR (default: ../widget). Prints "PORT <n>" once listening.

    python3 examples/dify-plugin/tests/serve_fake.py
"""

import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from werkzeug.routing import Map, Rule  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

import test_endpoints as t  # noqa: E402  (installs the stand-in dify_plugin module)

settings = {"app": {"app_id": "a1b2c3d4-0000-4000-8000-000000000001"}}
settings.update(json.loads(os.environ.get("DIFY_CHAT_SETTINGS") or "{}"))
widget_dir = os.environ.get("WIDGET_DIR")

endpoints = {}
for name in ("chat", "talk", "widget"):
    module, cls = t.load(name)
    if widget_dir and hasattr(module, "WIDGET_DIR"):
        module.WIDGET_DIR = widget_dir
    endpoints[name] = cls

routes = Map([
    Rule("/e/<hook>/chat", endpoint="chat", methods=["GET"]),
    Rule("/e/<hook>/talk", endpoint="talk", methods=["POST"]),
    Rule("/e/<hook>/widget/<name>", endpoint="widget", methods=["GET"]),
])


@Request.application
def app(request):
    try:
        name, values = routes.bind_to_environ(request.environ).match()
    except Exception:
        return Response("Not found", status=404)
    values.pop("hook", None)
    endpoint = endpoints[name](t.session(t.FakeChat()))
    return endpoint.invoke(request, values, settings)


server = make_server("127.0.0.1", 0, app, threaded=True)
print(f"PORT {server.server_port}", flush=True)
server.serve_forever()
