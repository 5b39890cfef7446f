"""GET /widget/<name>: the built widget (dify-chat.js and any file it loads beside itself).

Serves only plain file names ending in .js or .js.map from widget/ (copied from dist/ by build.mjs).
"""

import os
import re
from collections.abc import Mapping

from werkzeug import Request, Response

from dify_plugin import Endpoint

WIDGET_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "widget")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.js(\.map)?$")
MAX_FILE = 4 * 1024 * 1024


def read_widget_file(name: object):
    """The bytes of widget/<name>, or None for a name that is not a widget file."""
    if not isinstance(name, str) or len(name) > 100 or not NAME.match(name):
        return None
    path = os.path.join(WIDGET_DIR, name)
    if os.path.dirname(os.path.realpath(path)) != os.path.realpath(WIDGET_DIR):
        return None
    try:
        with open(path, "rb") as f:
            return f.read(MAX_FILE)
    except OSError:
        return None


class WidgetFile(Endpoint):
    def _invoke(self, r: Request, values: Mapping, settings: Mapping) -> Response:
        name = values.get("name")
        body = read_widget_file(name)
        if body is None:
            return Response(
                "Not found. (Is the widget built into this plugin? Run `node build.mjs` before packaging.)\n",
                status=404,
                content_type="text/plain; charset=utf-8",
            )
        content_type = "application/json" if name.endswith(".map") else "text/javascript; charset=utf-8"
        return Response(
            body,
            status=200,
            content_type=content_type,
            headers={"Cache-Control": "public, max-age=3600", "X-Content-Type-Options": "nosniff"},
        )
