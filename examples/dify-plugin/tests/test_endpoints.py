"""Offline tests of the plugin's endpoints and YAML, with the standard library and werkzeug only.

The dify_plugin SDK is not installable here, so a stand-in module provides the Endpoint base class
(the SDK's: __init__(session) keeps the session, invoke() calls _invoke()), and a stand-in session
replays recorded Dify chunks through session.app.chat.invoke().

Run: python3 -m unittest discover -s examples/dify-plugin/tests -v
"""

import importlib.util
import json
import os
import sys
import tempfile
import types
import unittest

from werkzeug import Request, Response
from werkzeug.test import EnvironBuilder

HERE = os.path.dirname(os.path.abspath(__file__))
PLUGIN = os.path.dirname(HERE)
CHUNKS = json.load(open(os.path.join(HERE, "fixtures", "chunks.json"), encoding="utf-8"))


# --- stand-ins for the SDK -------------------------------------------------------------------------

class Endpoint:
    """dify_plugin.Endpoint as the SDK defines it."""

    def __init__(self, session):
        self.session = session

    def _invoke(self, r, values, settings):  # pragma: no cover - overridden
        raise NotImplementedError

    def invoke(self, r, values, settings):
        return self._invoke(r, values, settings)


fake_sdk = types.ModuleType("dify_plugin")
fake_sdk.Endpoint = Endpoint
sys.modules["dify_plugin"] = fake_sdk


class FakeChat:
    """session.app.chat: records each invoke() and replays chunks lazily (like the SDK's generator)."""

    def __init__(self, chunks=CHUNKS, fail_at=None, error="Conversation Not Exists."):
        self.calls = []
        self.chunks = chunks
        self.fail_at = fail_at
        self.error = error
        self.produced = 0

    def invoke(self, **kwargs):
        self.calls.append(kwargs)

        def generator():
            for i, chunk in enumerate(self.chunks):
                if self.fail_at == i:
                    raise Exception(self.error)
                self.produced += 1
                yield dict(chunk)
            if self.fail_at == len(self.chunks):
                raise Exception(self.error)

        return generator()


def session(chat):
    return types.SimpleNamespace(app=types.SimpleNamespace(chat=chat))


def load(name):
    """Import endpoints/<name>.py and return (module, its Endpoint subclass)."""
    path = os.path.join(PLUGIN, "endpoints", f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"plugin_endpoint_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    classes = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Endpoint) and v is not Endpoint]
    assert len(classes) == 1, f"{name}.py defines one Endpoint subclass"
    return module, classes[0]


def request(method="POST", path="/talk", **kwargs):
    return Request(EnvironBuilder(method=method, path=path, **kwargs).get_environ())


APP = {"app": {"app_id": "a1b2c3d4-0000-4000-8000-000000000001"}}


# --- POST /talk --------------------------------------------------------------------------------------

class TalkTests(unittest.TestCase):
    def setUp(self):
        self.module, self.Talk = load("talk")

    def talk(self, body=None, settings=APP, chat=None, **kwargs):
        chat = chat or FakeChat()
        if body is not None and "data" not in kwargs:
            kwargs["data"] = json.dumps(body)
            kwargs.setdefault("content_type", "application/json")
        response = self.Talk(session(chat)).invoke(request(**kwargs), {}, settings)
        self.assertIsInstance(response, Response)
        return response, chat

    def error_of(self, response):
        self.assertEqual(response.mimetype, "application/json")
        body = json.loads(response.get_data())
        self.assertEqual(sorted(body), ["code", "message", "status"])
        self.assertEqual(body["status"], response.status_code)
        return body

    def test_streams_each_chunk_as_json_dumps_plus_blank_line(self):
        response, chat = self.talk({"query": "When do you open?", "conversation_id": "", "inputs": {"name": "Ada"}, "user": "visitor-1"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, "text/event-stream")
        self.assertEqual(response.headers["X-Accel-Buffering"], "no")
        self.assertEqual(response.get_data(as_text=True), "".join(json.dumps(c) + "\n\n" for c in CHUNKS))
        self.assertEqual(
            chat.calls,
            [{
                "app_id": APP["app"]["app_id"],
                "query": "When do you open?",
                "inputs": {"name": "Ada"},
                "response_mode": "streaming",
                "conversation_id": None,
                "user": "visitor-1",
            }],
        )

    def test_json_dumps_framing_is_python_default_ascii(self):
        response, _ = self.talk({"query": "hi"})
        text = response.get_data(as_text=True)
        self.assertIn("caf\\u00e9", text)
        self.assertIn('{"event": "message", "conversation_id": ', text)
        self.assertTrue(all(ord(ch) < 128 for ch in text))

    def test_continues_a_conversation(self):
        _, chat = self.talk({"query": "more", "conversation_id": "45701982-8118-4bc5-8e9b-64562b4555f2"})
        self.assertEqual(chat.calls[0]["conversation_id"], "45701982-8118-4bc5-8e9b-64562b4555f2")
        self.assertEqual(chat.calls[0]["inputs"], {})
        self.assertIsNone(chat.calls[0]["user"])

    def test_streams_lazily_not_buffered(self):
        response, chat = self.talk({"query": "hi"})
        pieces = iter(response.response)
        first = next(pieces)
        self.assertEqual(first, json.dumps(CHUNKS[0]) + "\n\n")
        self.assertEqual(chat.produced, 1, "the second chunk is not pulled before the first is written")
        next(pieces)
        self.assertEqual(chat.produced, 2)

    def test_validation(self):
        cases = [
            ({}, 400, "invalid_param"),
            ({"query": ""}, 400, "invalid_param"),
            ({"query": "   "}, 400, "invalid_param"),
            ({"query": 42}, 400, "invalid_param"),
            ({"query": ["hi"]}, 400, "invalid_param"),
            ({"query": "x" * 16_001}, 400, "invalid_param"),
            ({"query": "hi", "inputs": ["a"]}, 400, "invalid_param"),
            ({"query": "hi", "inputs": {"a": {"nested": 1}}}, 400, "invalid_param"),
            ({"query": "hi", "conversation_id": 7}, 400, "invalid_param"),
            ({"query": "hi", "conversation_id": "../../apps"}, 400, "invalid_param"),
            ({"query": "hi", "user": {"id": 1}}, 400, "invalid_param"),
            ({"query": "hi", "user": "u" * 257}, 400, "invalid_param"),
            (["hi"], 400, "bad_request"),
        ]
        for body, status, code in cases:
            with self.subTest(body=str(body)[:60]):
                response, chat = self.talk(body)
                self.assertEqual(response.status_code, status)
                self.assertEqual(self.error_of(response)["code"], code)
                self.assertEqual(chat.calls, [], "the app is not called")

    def test_broken_json_and_oversized_bodies(self):
        response, chat = self.talk(data=b'{"query": ', content_type="application/json")
        self.assertEqual(self.error_of(response)["code"], "bad_request")
        response, chat = self.talk(data=b"\xff\xfe", content_type="application/json")
        self.assertEqual(response.status_code, 400)
        big = json.dumps({"query": "x" * 70_000})
        response, chat = self.talk(data=big, content_type="application/json")
        self.assertEqual(response.status_code, 413)
        self.assertEqual(chat.calls, [])

    def test_no_app_selected(self):
        response, chat = self.talk({"query": "hi"}, settings={})
        self.assertEqual(self.error_of(response)["code"], "app_unavailable")
        self.assertEqual(chat.calls, [])

    def test_failure_before_the_first_chunk_is_a_json_error_with_difys_status(self):
        response, _ = self.talk({"query": "hi", "conversation_id": "45701982-8118-4bc5-8e9b-64562b4555f2"}, chat=FakeChat(fail_at=0))
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self.error_of(response), {"code": "not_found", "message": "Conversation Not Exists.", "status": 404})
        response, _ = self.talk({"query": "hi"}, chat=FakeChat(fail_at=0, error="Your quota has been exhausted."))
        self.assertEqual(self.error_of(response), {"code": "internal_server_error", "message": "Your quota has been exhausted.", "status": 500})

    def test_failure_mid_stream_ends_with_an_error_block(self):
        response, _ = self.talk({"query": "hi"}, chat=FakeChat(fail_at=2, error="[openai] Rate Limit Error"))
        self.assertEqual(response.status_code, 200)
        blocks = [json.loads(b) for b in response.get_data(as_text=True).split("\n\n") if b]
        self.assertEqual([b["event"] for b in blocks], ["message", "message", "error"])
        self.assertEqual(blocks[-1], {"event": "error", "status": 500, "code": "internal_server_error", "message": "[openai] Rate Limit Error"})

    def test_an_empty_answer_is_an_empty_stream(self):
        response, _ = self.talk({"query": "hi"}, chat=FakeChat(chunks=[]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.get_data(), b"")


# --- GET /chat ---------------------------------------------------------------------------------------

class ChatPageTests(unittest.TestCase):
    def setUp(self):
        self.module, self.ChatPage = load("chat")
        self.tmp = tempfile.TemporaryDirectory()
        os.makedirs(os.path.join(self.tmp.name, "themes"))
        with open(os.path.join(self.tmp.name, "themes", "dark.css"), "w", encoding="utf-8") as f:
            f.write("dify-chat.dark { --dify-chat-background: #111; }\n/* </style><script>alert(1)</script> */\n")
        self.module.WIDGET_DIR = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def page(self, settings):
        response = self.ChatPage(session(FakeChat())).invoke(request("GET", "/chat"), {}, settings)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, "text/html")
        return response.get_data(as_text=True)

    def test_the_widget_talks_to_this_plugin(self):
        html = self.page({})
        self.assertIn('<dify-chat endpoint="./talk" bot-name="Assistant" class="light"></dify-chat>', html)
        self.assertIn('<script type="module" src="./widget/dify-chat.js"></script>', html)

    def test_settings_are_html_escaped(self):
        html = self.page({
            "bot_name": '<script>alert("x")</script>"><img src=x onerror=alert(1)>',
            "welcome": "Hi & <b>welcome</b> \"friend\"",
            "placeholder": "' onfocus='alert(1)",
        })
        self.assertNotIn("<script>alert", html)
        self.assertNotIn("<img", html)
        self.assertIn('bot-name="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"', html)
        self.assertIn('welcome="Hi &amp; &lt;b&gt;welcome&lt;/b&gt; &quot;friend&quot;"', html)
        self.assertIn('placeholder="&#x27; onfocus=&#x27;alert(1)"', html)
        self.assertIn("<title>&lt;script&gt;", html)

    def test_skin_from_the_settings_is_inlined_safely(self):
        html = self.page({"skin": "dark", "bot_name": "Nova"})
        self.assertIn('class="dark"', html)
        self.assertIn("dify-chat.dark { --dify-chat-background: #111; }", html)
        self.assertNotIn("</style><script>", html)
        self.assertEqual(html.count("</style>"), 2)

    def test_unknown_skins_fall_back_to_light(self):
        for skin in ['dark" onload="alert(1)', "../../etc/passwd", "Dark", 7]:
            with self.subTest(skin=skin):
                html = self.page({"skin": skin})
                self.assertIn('class="light"', html)
                self.assertNotIn("onload", html)

    def test_a_missing_skin_file_is_just_the_class(self):
        html = self.page({"skin": "cute"})
        self.assertIn('class="cute"', html)
        self.assertEqual(html.count("<style>"), 1)


# --- GET /widget/<name> ------------------------------------------------------------------------------

class WidgetTests(unittest.TestCase):
    def setUp(self):
        self.module, self.WidgetFile = load("widget")
        self.tmp = tempfile.TemporaryDirectory()
        with open(os.path.join(self.tmp.name, "dify-chat.js"), "w") as f:
            f.write("export const ok = 1;\n")
        with open(os.path.join(self.tmp.name, "voice-abc123.js"), "w") as f:
            f.write("export const voice = 1;\n")
        with open(os.path.join(os.path.dirname(self.tmp.name), "outside.js"), "w") as f:
            f.write("secret\n")
        self.module.WIDGET_DIR = self.tmp.name

    def tearDown(self):
        os.remove(os.path.join(os.path.dirname(self.tmp.name), "outside.js"))
        self.tmp.cleanup()

    def get(self, name):
        return self.WidgetFile(session(FakeChat())).invoke(request("GET", f"/widget/{name}"), {"name": name}, {})

    def test_serves_the_bundle_and_its_lazy_parts(self):
        response = self.get("dify-chat.js")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.mimetype, "text/javascript")
        self.assertEqual(response.get_data(as_text=True), "export const ok = 1;\n")
        self.assertEqual(self.get("voice-abc123.js").status_code, 200)

    def test_serves_nothing_else(self):
        for name in ["../outside.js", "..", ".hidden.js", "x.css", "dify-chat.js/", "%2e%2e/outside.js", "", "missing.js", None]:
            with self.subTest(name=name):
                response = self.get(name)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(b"secret", response.get_data())


# --- manifest and YAML -------------------------------------------------------------------------------

class ManifestTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        try:
            import yaml
        except ImportError:  # pragma: no cover
            raise unittest.SkipTest("python3-yaml is not installed")
        cls.yaml = yaml

    def read(self, relative):
        with open(os.path.join(PLUGIN, relative), encoding="utf-8") as f:
            return self.yaml.safe_load(f)

    def test_manifest_has_what_the_sdk_requires(self):
        import re

        m = self.read("manifest.yaml")
        self.assertEqual(m["type"], "plugin")
        self.assertRegex(m["author"], r"^[a-zA-Z0-9_-]{1,64}$")
        self.assertRegex(m["name"], r"^[a-z0-9_-]{1,128}$")
        self.assertRegex(str(m["version"]), r"^\d+\.\d+\.\d+$")
        for key in ("description", "label"):
            self.assertIn("en_US", m[key])
        self.assertTrue(os.path.exists(os.path.join(PLUGIN, "_assets", m["icon"])))
        self.assertTrue(re.match(r"^\d{4}-\d\d-\d\dT", str(m["created_at"])))
        self.assertIsInstance(m["resource"]["memory"], int)
        self.assertTrue(m["resource"]["permission"]["endpoint"]["enabled"])
        self.assertTrue(m["resource"]["permission"]["app"]["enabled"])
        self.assertEqual(m["meta"]["runner"], {"language": "python", "version": "3.12", "entrypoint": "main"})
        self.assertTrue(set(m["meta"]["arch"]) <= {"amd64", "arm64"})
        self.assertTrue(os.path.exists(os.path.join(PLUGIN, "main.py")))
        for group in m["plugins"]["endpoints"]:
            self.assertTrue(os.path.exists(os.path.join(PLUGIN, group)), group)

    def test_endpoint_group_settings_and_endpoints(self):
        group = self.read("provider/dify_chat.yaml")
        types_ok = {"secret-input", "text-input", "select", "boolean", "model-selector", "app-selector", "array[tools]"}
        names = set()
        for s in group["settings"]:
            self.assertIn(s["type"], types_ok)
            self.assertIn("en_US", s["label"])
            names.add(s["name"])
        self.assertLessEqual({"app", "bot_name", "skin"}, names)
        app = next(s for s in group["settings"] if s["name"] == "app")
        self.assertEqual((app["scope"], app["required"]), ("chat", True))
        skin = next(s for s in group["settings"] if s["name"] == "skin")
        chat_module, _ = load("chat")
        self.assertEqual(tuple(o["value"] for o in skin["options"]), chat_module.SKINS)
        self.assertEqual(skin["default"], "light")

        routes = {}
        for path in group["endpoints"]:
            e = self.read(path)
            self.assertIn(e["method"], ("GET", "POST"))
            source = e["extra"]["python"]["source"]
            self.assertTrue(os.path.exists(os.path.join(PLUGIN, source)), source)
            load(os.path.splitext(os.path.basename(source))[0])
            routes[e["path"]] = e["method"]
        self.assertEqual(routes, {"/chat": "GET", "/talk": "POST", "/widget/<name>": "GET"})


if __name__ == "__main__":
    unittest.main()
