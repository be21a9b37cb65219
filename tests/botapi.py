"""A small Telegram Bot API server for tests and benchmarks.

It speaks enough of the real protocol for aiogram and python-telegram-bot: getMe,
getUpdates (long polling), setWebhook/deleteWebhook (with pushes to the webhook),
sendMessage, editMessageText, answerCallbackQuery, setMyCommands, sendDocument.
It can answer 429 with retry_after and 403 for users who blocked the bot.

It runs in a background thread with its own event loop, so a test (or a benchmark)
talks to it through plain thread-safe methods: ``send_text``, ``press``, ``wait_messages``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

BOT_ID = 900000001


@dataclass
class BotMessage:
    """A message the bot sent, as the user's client would show it now."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    edits: int = 0
    document: tuple[str, bytes] | None = None

    def button_labels(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]


def _error(status: int, description: str, **parameters: Any) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


class FakeBotAPI:
    def __init__(self, token: str = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz") -> None:
        self.token = token
        self.url = ""
        self._lock = threading.Condition()
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.messages: dict[int, list[BotMessage]] = defaultdict(list)
        self.commands: dict[str | None, list[dict[str, str]]] = {}
        self.callback_answers: dict[str, str] = {}
        self.calls: dict[str, int] = defaultdict(int)
        self.blocked: set[int] = set()
        self._rate_limits: dict[str, list[int]] = {}  # method -> [remaining 429s, retry_after]
        self.webhook: tuple[str, str | None] | None = None
        self.webhook_rejections = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Future[None]] = set()

    # --- life cycle -----------------------------------------------------------------
    def start(self) -> str:
        ready = threading.Event()

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            loop.run_until_complete(self._start_server())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._stop_server())
            loop.close()

        self._thread = threading.Thread(target=serve, name="fake-bot-api", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Bot API did not start")
        return self.url

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)

    async def _start_server(self) -> None:
        self._new_update = asyncio.Event()
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        self._http = aiohttp.ClientSession()

    async def _stop_server(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- the user's side (any thread) ----------------------------------------------------
    def _user(self, user_id: int, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def _chat(self, user_id: int, chat_type: str) -> dict[str, Any]:
        if chat_type == "private":
            return {"id": user_id, "type": "private", "first_name": f"User{user_id}"}
        return {"id": -user_id, "type": chat_type, "title": "Some group"}

    def send(
        self,
        user_id: int,
        language_code: str | None = "en",
        chat_type: str = "private",
        edited: bool = False,
        **content: Any,
    ) -> None:
        """Deliver a message update with arbitrary content (text=..., photo=[...], sticker={...})."""
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(user_id, chat_type),
            "from": self._user(user_id, language_code),
            **content,
        }
        if edited:
            message["edit_date"] = int(time.time())
        text = content.get("text", "")
        if isinstance(text, str) and text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        self._push({"edited_message" if edited else "message": message})

    def send_text(self, user_id: int, text: str, language_code: str | None = "en", **kwargs: Any) -> None:
        self.send(user_id, language_code, text=text, **kwargs)

    def press(self, user_id: int, label: str, language_code: str | None = "en") -> str:
        """Press the button labelled ``label`` on the newest bot message that has it."""
        with self._lock:
            for msg in reversed(self.messages[user_id]):
                for row in msg.buttons:
                    for button in row:
                        if button["text"] == label:
                            return self.press_data(user_id, msg, button["callback_data"], language_code)
        raise LookupError(f"no button {label!r} for user {user_id}")

    def press_data(self, user_id: int, msg: BotMessage, data: str, language_code: str | None = "en") -> str:
        """Press a button with any payload on a message; returns the callback query id."""
        query_id = f"cq{next(self._update_ids)}"
        query = {
            "id": query_id,
            "from": self._user(user_id, language_code),
            "chat_instance": str(user_id),
            "data": data,
            "message": {
                "message_id": msg.message_id,
                "date": int(time.time()),
                "chat": self._chat(user_id, "private"),
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "lotse"},
                "text": msg.text,
            },
        }
        self._push({"callback_query": query})
        return query_id

    def _push(self, payload: dict[str, Any]) -> None:
        with self._lock:
            update = {"update_id": next(self._update_ids), **payload}
            self._updates.append(update)
        assert self._loop is not None
        self._loop.call_soon_threadsafe(self._deliver_new)

    def _deliver_new(self) -> None:
        if self.webhook is not None:
            with self._lock:
                pending, self._updates = self._updates, []
            for update in pending:
                task = asyncio.ensure_future(self._post_webhook(update))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
        assert self._new_update is not None
        self._new_update.set()

    async def _post_webhook(self, update: dict[str, Any]) -> None:
        """Deliver one update to the webhook; like Telegram, retry while the bot is unreachable."""
        assert self.webhook is not None and self._http is not None
        url, secret = self.webhook
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
        for attempt in range(50):
            try:
                async with self._http.post(url, json=update, headers=headers) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(min(0.1 * (attempt + 1), 1.0))
        with self._lock:
            self.webhook_rejections += 1

    def post_webhook_with_secret(self, update: dict[str, Any], secret: str | None) -> int:
        """Post an update to the webhook with a chosen secret; returns the HTTP status."""
        assert self.webhook is not None and self._loop is not None and self._http is not None

        async def post() -> int:
            headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
            async with self._http.post(self.webhook[0], json=update, headers=headers) as response:  # type: ignore[union-attr,index]
                return response.status

        return asyncio.run_coroutine_threadsafe(post(), self._loop).result(10)

    def wait_messages(self, chat_id: int, count: int, timeout: float = 15.0) -> list[BotMessage]:
        """Wait until the chat has at least ``count`` bot messages; return all of them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.messages[chat_id]) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    texts = [m.text[:60] for m in self.messages[chat_id]]
                    raise TimeoutError(f"chat {chat_id}: {len(texts)} of {count} messages: {texts}")
                self._lock.wait(remaining)
            return list(self.messages[chat_id])

    def wait_for(self, predicate, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        with self._lock:
            while not predicate():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("condition not reached")
                self._lock.wait(remaining)

    def rate_limit(self, method: str, times: int, retry_after: int = 1) -> None:
        with self._lock:
            self._rate_limits[method] = [times, retry_after]

    def block(self, user_id: int) -> None:
        with self._lock:
            self.blocked.add(user_id)

    # --- the bot's side (server loop) ---------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json() if request.can_read_body else {}
        params: dict[str, Any] = {}
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = (value.filename, value.file.read())
                continue
            try:
                params[key] = json.loads(value)
            except (TypeError, ValueError):
                params[key] = value
        params.update({k: v for k, v in request.query.items() if k not in params})
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        with self._lock:
            self.calls[method] += 1
            limit = self._rate_limits.get(method)
            if limit and limit[0] > 0:
                limit[0] -= 1
                return _error(429, f"Too Many Requests: retry after {limit[1]}", retry_after=limit[1])
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = await handler(params)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _m_getMe(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "lotse",
            "username": "lotse_test_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _m_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        assert self._new_update is not None
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = self._updates[:limit]
                if ready or self.webhook is not None:
                    return ready
                self._new_update.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return []
            try:
                await asyncio.wait_for(self._new_update.wait(), remaining)
            except TimeoutError:
                return []

    async def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = (params["url"], params.get("secret_token"))
            self._lock.notify_all()
        return True

    async def _m_deleteWebhook(self, _: dict[str, Any]) -> bool:
        with self._lock:
            self.webhook = None
        return True

    async def _m_getWebhookInfo(self, _: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self.webhook[0] if self.webhook else "",
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.commands[params.get("language_code")] = params["commands"]
            self._lock.notify_all()
        return True

    async def _m_deleteMyCommands(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.commands.pop(params.get("language_code"), None)
        return True

    async def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self.callback_answers[str(params["callback_query_id"])] = str(params.get("text") or "")
            self._lock.notify_all()
        return True

    def _message_json(self, msg: BotMessage) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": msg.message_id,
            "date": int(time.time()),
            "chat": self._chat(msg.chat_id, "private") if msg.chat_id > 0 else self._chat(-msg.chat_id, "group"),
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "lotse", "username": "lotse_test_bot"},
        }
        if msg.document:
            body["document"] = {
                "file_id": f"f{msg.message_id}",
                "file_unique_id": f"u{msg.message_id}",
                "file_name": msg.document[0],
            }
            if msg.text:
                body["caption"] = msg.text
        else:
            body["text"] = msg.text
        if msg.buttons:
            body["reply_markup"] = {"inline_keyboard": msg.buttons}
        return body

    def _check_chat(self, params: dict[str, Any]) -> tuple[int, web.Response | None]:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            return chat_id, _error(403, "Forbidden: bot was blocked by the user")
        return chat_id, None

    async def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        chat_id, refused = self._check_chat(params)
        if refused:
            return refused
        text = str(params.get("text", ""))
        if not text.strip() or len(text) > 4096:
            return _error(400, "Bad Request: message text is empty or too long")
        markup = params.get("reply_markup") or {}
        with self._lock:
            msg = BotMessage(chat_id, next(self._message_ids), text, markup.get("inline_keyboard", []))
            self.messages[chat_id].append(msg)
            self._lock.notify_all()
        return self._message_json(msg)

    async def _m_editMessageText(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        chat_id, refused = self._check_chat(params)
        if refused:
            return refused
        message_id = int(params["message_id"])
        markup = params.get("reply_markup") or {}
        text = str(params.get("text", ""))
        if len(text) > 4096:
            return _error(400, "Bad Request: MESSAGE_TOO_LONG")
        with self._lock:
            for msg in self.messages[chat_id]:
                if msg.message_id == message_id:
                    buttons = markup.get("inline_keyboard", [])
                    if msg.text == text and msg.buttons == buttons:
                        return _error(400, "Bad Request: message is not modified")
                    msg.text, msg.buttons, msg.edits = text, buttons, msg.edits + 1
                    self._lock.notify_all()
                    return self._message_json(msg)
        return _error(400, "Bad Request: message to edit not found")

    async def _m_sendDocument(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        chat_id, refused = self._check_chat(params)
        if refused:
            return refused
        filename, content = params["document"]
        with self._lock:
            msg = BotMessage(
                chat_id, next(self._message_ids), str(params.get("caption") or ""), document=(filename, content)
            )
            self.messages[chat_id].append(msg)
            self._lock.notify_all()
        return self._message_json(msg)

    async def _m_close(self, _: dict[str, Any]) -> bool:
        return True

    async def _m_logOut(self, _: dict[str, Any]) -> bool:
        return True
