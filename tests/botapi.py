"""A small Telegram Bot API server for tests and benchmarks.

It speaks enough of the real protocol for aiogram and python-telegram-bot: getMe,
getUpdates (long polling), setWebhook/deleteWebhook (with pushes to the webhook),
sendMessage, editMessageText, answerCallbackQuery, setMyCommands, sendDocument.
It can answer 429 with retry_after and 403 for users who blocked the bot.

Faults for resilience tests and benchmarks (all thread-safe, any number at once):
``fail(status, ...)`` answers Bot API errors (5xx, 429, 400, 403) for some calls, by count, for a
while or at random (seeded, so runs repeat); ``stall(seconds, ...)`` holds calls so that the
client times out, then drops them (504) or performs them anyway (Telegram delivered what the
client gave up on); ``enforce_limits()`` answers 429 like Telegram beyond 30 sends/s overall or
1/s per chat. ``statuses`` counts every answer by method and HTTP status; ``sent_log`` records
every delivered message with its time, to count duplicates and measure rates.

It runs in a background thread with its own event loop, so a test (or a benchmark)
talks to it through plain thread-safe methods: ``send_text``, ``press``, ``wait_messages``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

BOT_ID = 900000001

# The calls that faults and stalls apply to unless told otherwise.
SEND_METHODS = ("sendMessage", "editMessageText", "sendDocument", "answerCallbackQuery")
# The calls that Telegram's flood limits count (enforce_limits).
LIMITED_METHODS = frozenset({"sendMessage", "sendDocument", "editMessageText"})

_DESCRIPTIONS = {
    400: "Bad Request: chat not found",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}
_STALE_QUERY = "Bad Request: query is too old and response timeout expired or query ID is invalid"


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


@dataclass
class _Rule:
    """When a fault or stall applies: to which methods, how many more times, until when."""

    methods: tuple[str, ...]
    remaining: int | None  # None: no limit on the count
    until: float | None  # time.monotonic() deadline; None: until cleared
    probability: float = 1.0

    def expired(self, now: float) -> bool:
        return (self.remaining is not None and self.remaining <= 0) or (self.until is not None and now >= self.until)


@dataclass
class _Fault(_Rule):
    status: int = 500
    retry_after: int | None = None
    description: str | None = None


@dataclass
class _Stall(_Rule):
    seconds: float = 0.0
    then: str = "drop"


def _rule_args(times: int | None, seconds: float | None) -> tuple[int | None, float | None]:
    if times is not None and times < 0:
        raise ValueError("times must be >= 0")
    return times, None if seconds is None else time.monotonic() + seconds


class FakeBotAPI:
    """The server; ``seed`` makes the faults given with a probability repeatable."""

    def __init__(self, token: str = "123456789:TEST-token-abcdefghijklmnopqrstuvwxyz", seed: int = 0) -> None:
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
        self._random = random.Random(seed)  # decides the faults given with a probability
        self._faults: list[_Fault] = []
        self._stalls: list[_Stall] = []
        # Telegram's flood limits (enforce_limits): None = off; windows hold the times of recent sends.
        self._per_second: float | None = None
        self._per_chat_per_second: float | None = None
        self._limit_retry_after = 1
        self._window: deque[float] = deque()
        self._chat_windows: dict[int, deque[float]] = defaultdict(deque)
        # method -> HTTP status -> count, for every answered call (200 included).
        self.statuses: dict[str, Counter[int]] = defaultdict(Counter)
        # (time.monotonic(), chat_id, text) of every delivered sendMessage / sendDocument (text: caption).
        self.sent_log: list[tuple[float, int, str]] = []
        # 429s answered by enforce_limits, by the limit hit: "per_second" or "per_chat" (by method: statuses).
        self.throttled: Counter[str] = Counter()
        self.webhook: tuple[str, str | None] | None = None
        self.webhook_rejections = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._new_update: asyncio.Event | None = None
        self._closing: asyncio.Event | None = None
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
        self._closing = asyncio.Event()  # ends stalls early on stop()
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
        if self._closing is not None:
            self._closing.set()
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

    def wait_for(self, predicate: Callable[[], object], timeout: float = 15.0) -> None:
        """Wait until ``predicate()`` (called under the lock) is true; TimeoutError otherwise."""
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

    # --- faults and limits (any thread) ----------------------------------------------------
    def fail(
        self,
        status: int,
        *,
        methods: tuple[str, ...] = SEND_METHODS,
        times: int | None = None,
        seconds: float | None = None,
        probability: float = 1.0,
        retry_after: int | None = None,
        description: str | None = None,
    ) -> None:
        """Answer matching calls with a Bot API error of HTTP ``status`` instead of performing them.

        ``times``: only the next N calls that fail; ``seconds``: only for that long from now;
        ``probability``: each matching call fails with it (seeded, see ``seed``). A 429 carries
        ``retry_after`` (default 1). Faults are tried in the order they were added; the first
        one that is active, names the method and wins its draw decides the answer.
        """
        if not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        remaining, until = _rule_args(times, seconds)
        fault = _Fault(tuple(methods), remaining, until, probability, status, retry_after, description)
        with self._lock:
            self._faults.append(fault)

    def stall(
        self,
        seconds: float,
        *,
        methods: tuple[str, ...] = SEND_METHODS,
        times: int | None = None,
        for_seconds: float | None = None,
        then: str = "drop",
    ) -> None:
        """Hold matching calls for ``seconds`` before handling them (the client times out meanwhile).

        ``then="drop"``: answer 504 without performing the call; ``then="perform"``: perform it
        after all, as Telegram does when it delivered a message the client gave up on.
        ``times``: only the next N matching calls; ``for_seconds``: only for that long from now.
        """
        if then not in ("drop", "perform"):
            raise ValueError('then must be "drop" or "perform"')
        remaining, until = _rule_args(times, for_seconds)
        with self._lock:
            self._stalls.append(_Stall(tuple(methods), remaining, until, 1.0, seconds, then))

    def clear_faults(self) -> None:
        """Remove every fault and stall (calls already stalled finish their sleep)."""
        with self._lock:
            self._faults.clear()
            self._stalls.clear()

    def enforce_limits(
        self, per_second: float | None = 30, per_chat_per_second: float | None = 1, retry_after: int = 1
    ) -> None:
        """Answer 429 (with ``retry_after``) like Telegram's flood control on sendMessage,
        sendDocument and editMessageText: beyond ``per_second`` successful calls in any sliding
        1-second window overall, or ``per_chat_per_second`` for one chat. None lifts a limit;
        the 429s are counted in ``throttled`` (by the limit hit) and ``statuses``."""
        with self._lock:
            self._per_second = per_second
            self._per_chat_per_second = per_chat_per_second
            self._limit_retry_after = retry_after
            self._window.clear()
            self._chat_windows.clear()

    def _match(self, rules: list[Any], method: str) -> Any:
        """The first active rule for ``method`` (consuming one of its ``times``); under the lock."""
        now = time.monotonic()
        rules[:] = [rule for rule in rules if not rule.expired(now)]
        for rule in rules:
            if method not in rule.methods:
                continue
            if rule.probability < 1.0 and self._random.random() >= rule.probability:
                continue
            if rule.remaining is not None:
                rule.remaining -= 1
            return rule
        return None

    def _fault_response(self, fault: _Fault, method: str) -> web.Response:
        status = fault.status
        if status == 429:
            retry_after = 1 if fault.retry_after is None else fault.retry_after
            description = fault.description or f"Too Many Requests: retry after {retry_after}"
            return _error(429, description, retry_after=retry_after)
        if fault.description:
            description = fault.description
        elif status == 400 and method == "answerCallbackQuery":
            description = _STALE_QUERY
        else:
            description = _DESCRIPTIONS.get(status, "Internal Server Error" if status >= 500 else "Error")
        return _error(status, description)

    def _take_send_slot(self, method: str, params: dict[str, Any]) -> tuple[float, int | None] | web.Response | None:
        """Under the lock: 429 if the call would break a limit, else reserve its place in the windows."""
        if method not in LIMITED_METHODS or (self._per_second is None and self._per_chat_per_second is None):
            return None
        now = time.monotonic()
        try:
            chat_id: int | None = int(params["chat_id"])
        except (KeyError, TypeError, ValueError):
            chat_id = None
        limits: list[tuple[str, deque[float], float | None]] = [("per_second", self._window, self._per_second)]
        if chat_id is not None:
            limits.append(("per_chat", self._chat_windows[chat_id], self._per_chat_per_second))
        for _, window, _ in limits:
            while window and window[0] <= now - 1.0:
                window.popleft()
        for name, window, limit in limits:
            if limit is not None and len(window) + 1 > limit:
                self.throttled[name] += 1
                retry = self._limit_retry_after
                return _error(429, f"Too Many Requests: retry after {retry}", retry_after=retry)
        for _, window, _ in limits:
            window.append(now)
        return now, chat_id

    def _release_send_slot(self, slot: tuple[float, int | None]) -> None:
        """Under the lock: the call did not succeed, so it does not count against the limits."""
        at, chat_id = slot
        windows = [self._window] + ([self._chat_windows[chat_id]] if chat_id is not None else [])
        for window in windows:
            with contextlib.suppress(ValueError):
                window.remove(at)

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
        method = request.match_info["method"]
        response = await self._answer(request, method)
        with self._lock:
            self.statuses[method][response.status] += 1
            self._lock.notify_all()
        return response

    async def _answer(self, request: web.Request, method: str) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        params = await self._params(request)
        with self._lock:
            self.calls[method] += 1
            stall: _Stall | None = self._match(self._stalls, method)
        if stall is not None:
            assert self._closing is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), stall.seconds)
            if stall.then == "drop" or self._closing.is_set():
                return _error(504, _DESCRIPTIONS[504])
        with self._lock:
            fault: _Fault | None = self._match(self._faults, method)
            if fault is not None:
                return self._fault_response(fault, method)
            limit = self._rate_limits.get(method)
            if limit and limit[0] > 0:
                limit[0] -= 1
                return _error(429, f"Too Many Requests: retry after {limit[1]}", retry_after=limit[1])
            slot = self._take_send_slot(method, params)
            if isinstance(slot, web.Response):
                return slot
        handler = getattr(self, "_m_" + method, None)
        if handler is None:
            response = _error(404, "Not Found: method not found")
        else:
            result = await handler(params)
            response = result if isinstance(result, web.Response) else web.json_response({"ok": True, "result": result})
        if slot is not None and response.status != 200:
            with self._lock:
                self._release_send_slot(slot)
        return response

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
            self.sent_log.append((time.monotonic(), chat_id, text))
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
            self.sent_log.append((time.monotonic(), chat_id, msg.text))
            self._lock.notify_all()
        return self._message_json(msg)

    async def _m_close(self, _: dict[str, Any]) -> bool:
        return True

    async def _m_logOut(self, _: dict[str, Any]) -> bool:
        return True
