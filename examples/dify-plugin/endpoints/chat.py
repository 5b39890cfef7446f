"""GET /chat: a page with the <dify-chat> widget, talking to this plugin's /talk endpoint.

The bot name, skin, welcome text and placeholder come from the endpoint's settings and are
HTML-escaped; the skin must be one of the known names. The widget itself is served by /widget/<name>
from the copy of dist/ that build.mjs puts in widget/.
"""

import html
import os
from collections.abc import Mapping

from werkzeug import Request, Response

from dify_plugin import Endpoint

WIDGET_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "widget")
SKINS = ("light", "dark", "bubble", "minimal", "cute", "korean", "western", "corporate")
MAX_SETTING = 500

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>{title}</title>
<style>
html, body {{ height: 100%; margin: 0; }}
body {{ display: flex; justify-content: center; background: {background}; }}
dify-chat {{ width: min(760px, 100%); height: 100%; }}
</style>
{skin_style}<script type="module" src="./widget/dify-chat.js"></script>
</head>
<body>
<dify-chat endpoint="./talk" bot-name="{bot_name}" class="{skin}"{extra}></dify-chat>
</body>
</html>
"""


def setting(settings: Mapping, name: str, default: str = "") -> str:
    value = settings.get(name)
    if not isinstance(value, str) or not value.strip():
        return default
    return value.strip()[:MAX_SETTING]


def skin_css(skin: str) -> str:
    """The skin's stylesheet from widget/themes/, made safe to inline in a <style> element."""
    if skin == "light":
        return ""
    path = os.path.join(WIDGET_DIR, "themes", f"{skin}.css")
    try:
        with open(path, encoding="utf-8") as f:
            css = f.read(256 * 1024)
    except OSError:
        return ""
    return css.replace("</", "<\\/")


def render_page(settings: Mapping) -> str:
    bot_name = setting(settings, "bot_name", "Assistant")
    skin = setting(settings, "skin", "light")
    if skin not in SKINS:
        skin = "light"
    extra = ""
    for attribute, name in (("welcome", "welcome"), ("placeholder", "placeholder")):
        value = setting(settings, name)
        if value:
            extra += f' {attribute}="{html.escape(value, quote=True)}"'
    css = skin_css(skin)
    return PAGE.format(
        title=html.escape(bot_name, quote=True),
        bot_name=html.escape(bot_name, quote=True),
        skin=skin,
        extra=extra,
        background="#16161d" if skin == "dark" else "#f6f6f8",
        skin_style=f"<style>\n{css}\n</style>\n" if css else "",
    )


class ChatPage(Endpoint):
    def _invoke(self, r: Request, values: Mapping, settings: Mapping) -> Response:
        return Response(
            render_page(settings),
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-cache"},
        )
