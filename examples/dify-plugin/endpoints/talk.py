"""POST /talk: one chat turn, streamed the way the widget reads a plugin endpoint.

Body: {"query": str, "inputs"?: object, "conversation_id"?: str, "user"?: str}. Calls
self.session.app.chat.invoke(..., response_mode="streaming") and writes each chunk as
json.dumps(chunk) + "\\n\\n". Bad input gets a Dify-shaped JSON error ({code, message, status});
a failure before the first chunk (for example an unknown conversation) becomes a JSON error with
Dify's status, one after it an {"event": "error", ...} block that ends the stream.
"""

import json
import re
from collections.abc import Mapping

from werkzeug import Request, Response

from dify_plugin import Endpoint

MAX_BODY = 64 * 1024
MAX_QUERY = 16_000
MAX_INPUTS = 50
MAX_USER = 256
MAX_MESSAGE = 500
CONVERSATION_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")


def error(status: int, code: str, message: str) -> Response:
    return Response(
        json.dumps({"code": code, "message": message, "status": status}),
        status=status,
        content_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


class BadRequest(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.response = error(status, code, message)


def read_body(r: Request) -> dict:
    if r.content_length is not None and r.content_length > MAX_BODY:
        raise BadRequest(413, "request_entity_too_large", "The request body is too large.")
    raw = r.stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise BadRequest(413, "request_entity_too_large", "The request body is too large.")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(400, "bad_request", "The request body must be a JSON object.") from None
    if not isinstance(body, dict):
        raise BadRequest(400, "bad_request", "The request body must be a JSON object.")
    return body


def parse_turn(body: dict) -> dict:
    query = body.get("query")
    if not isinstance(query, str) or not query.strip():
        raise BadRequest(400, "invalid_param", "query is required")
    if len(query) > MAX_QUERY:
        raise BadRequest(400, "invalid_param", f"query must be at most {MAX_QUERY} characters")

    inputs = body.get("inputs")
    if inputs is None:
        inputs = {}
    if not isinstance(inputs, dict) or len(inputs) > MAX_INPUTS:
        raise BadRequest(400, "invalid_param", "inputs must be an object")
    for key, value in inputs.items():
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            raise BadRequest(400, "invalid_param", f"inputs.{key} must be a string, number or boolean")
        if isinstance(value, str) and len(value) > MAX_QUERY:
            raise BadRequest(400, "invalid_param", f"inputs.{key} is too long")

    conversation_id = body.get("conversation_id")
    if conversation_id in (None, ""):
        conversation_id = None
    elif not isinstance(conversation_id, str) or not CONVERSATION_ID.match(conversation_id):
        raise BadRequest(400, "invalid_param", "conversation_id must be a conversation id")

    user = body.get("user")
    if user in (None, ""):
        user = None
    elif not isinstance(user, str) or len(user) > MAX_USER:
        raise BadRequest(400, "invalid_param", "user must be a string")

    return {"query": query, "inputs": inputs, "conversation_id": conversation_id, "user": user}


def describe_failure(exc: Exception) -> tuple:
    """(status, code, message) for an exception raised by the SDK (it carries Dify's message)."""
    message = str(exc).strip()[:MAX_MESSAGE] or "The app could not answer."
    lowered = message.lower()
    if "conversation not exists" in lowered:
        return 404, "not_found", "Conversation Not Exists."
    if "conversation has ended" in lowered:
        return 400, "conversation_completed", "The conversation has ended. Please start a new conversation."
    return 500, "internal_server_error", message


class Talk(Endpoint):
    def _invoke(self, r: Request, values: Mapping, settings: Mapping) -> Response:
        app = settings.get("app")
        app_id = app.get("app_id") if isinstance(app, Mapping) else None
        if not app_id:
            return error(400, "app_unavailable", "No chat app is selected in this endpoint's settings.")
        try:
            turn = parse_turn(read_body(r))
        except BadRequest as bad:
            return bad.response

        # Start the answer now, so that a failure before the first chunk (unknown conversation,
        # quota, …) is a real HTTP error the widget can act on (404 not_found → new conversation).
        try:
            chunks = iter(
                self.session.app.chat.invoke(
                    app_id=app_id,
                    query=turn["query"],
                    inputs=turn["inputs"],
                    response_mode="streaming",
                    conversation_id=turn["conversation_id"],
                    user=turn["user"],
                )
            )
            first = next(chunks, None)
        except Exception as exc:  # the SDK raises plain Exception(message) for Dify's errors
            return error(*describe_failure(exc))

        def generate():
            try:
                if first is not None:
                    yield json.dumps(first) + "\n\n"
                for chunk in chunks:
                    yield json.dumps(chunk) + "\n\n"
            except Exception as exc:
                status, code, message = describe_failure(exc)
                yield json.dumps({"event": "error", "status": status, "code": code, "message": message}) + "\n\n"

        return Response(
            generate(),
            status=200,
            content_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
