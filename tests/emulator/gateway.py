"""The gateway: JSON text frames over a websocket, sessions with sequence numbers and RESUME.

HELLO on connect; heartbeats get ACKs; IDENTIFY (token checked, intents recorded, privileged
intents refused with 4014 unless allowed) gets READY then one GUILD_CREATE per guild (its
`members` only the bot's own member unless the client asked for GUILD_PRESENCES, as on
Discord: a bot must take invokers from the interaction, not from its member cache). Every
dispatch is logged per session, so a RESUME replays what the client missed, then RESUMED.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.emulator.core import Core
from tests.emulator.models import JSON

PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15)
GUILD_MESSAGES = 1 << 9
GUILD_PRESENCES = 1 << 8


@dataclass(frozen=True, slots=True)
class Identify:
    """An IDENTIFY the client sent (token never kept)."""

    intents: int
    properties: JSON
    at: float

    @property
    def privileged(self) -> bool:
        return bool(self.intents & PRIVILEGED_INTENTS)


@dataclass(slots=True)
class Session:
    id: str
    intents: int
    seq: int = 0
    events: list[tuple[int, str, Any]] = field(default_factory=list)
    ws: web.WebSocketResponse | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


class GatewayHub:
    """All gateway sessions; `current` is the one the latest IDENTIFY created."""

    def __init__(self, core: Core) -> None:
        self.core = core
        self.sessions: dict[str, Session] = {}
        self.current: Session | None = None
        self.identifies: list[Identify] = []
        self.resumes = 0
        self.heartbeats = 0
        self.connections = 0
        self.connection_paths: list[str] = []
        self.heartbeat_interval_ms = 41_250
        self.allow_privileged_intents = False
        self.available = True
        self._sockets: dict[web.WebSocketResponse, web.Request] = {}

    @property
    def resume_url(self) -> str:
        return self.core.gateway_url + "/resume"

    def is_connected(self) -> bool:
        return self.current is not None and self.current.ws is not None

    async def handle(self, request: web.Request) -> web.StreamResponse:
        if not self.available:
            return web.Response(status=503, text="gateway unavailable")
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        await ws.prepare(request)
        self.connections += 1
        self.connection_paths.append(request.path)
        self._sockets[ws] = request
        try:
            await self._send(
                ws, {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
            )
            async for message in ws:
                if message.type is not WSMsgType.TEXT:
                    continue
                await self._on_frame(ws, json.loads(message.data))
        finally:
            self._sockets.pop(ws, None)
            for session in self.sessions.values():
                if session.ws is ws:
                    session.ws = None
            self.core.notify()
        return ws

    async def _on_frame(self, ws: web.WebSocketResponse, frame: JSON) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            self.heartbeats += 1
            await self._send(ws, {"op": 11, "d": None})
            self.core.notify()
        elif op == 2:
            await self._identify(ws, data or {})
        elif op == 6:
            await self._resume(ws, data or {})
        elif op == 8:
            await self._send_members_chunk(ws, data or {})

    async def _identify(self, ws: web.WebSocketResponse, data: JSON) -> None:
        if data.get("token") != self.core.token:
            await ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = int(data.get("intents", 0))
        self.identifies.append(
            Identify(intents, dict(data.get("properties") or {}), self.core.elapsed())
        )
        if intents & PRIVILEGED_INTENTS and not self.allow_privileged_intents:
            await ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        session = Session(secrets.token_hex(16), intents)
        self.sessions[session.id] = session
        self.current = session
        world = self.core.world
        async with session.lock:
            session.ws = ws
            ready = {
                "v": 10,
                "user": world.bot.to_payload(),
                "guilds": [{"id": str(g), "unavailable": True} for g in world.guilds],
                "session_id": session.id,
                "resume_gateway_url": self.resume_url,
                "application": {"id": str(world.application_id), "flags": 0},
                "private_channels": [],
                "relationships": [],
            }
            await self._log_and_send(session, "READY", ready)
            for guild in world.guilds.values():
                payload = guild.to_payload()
                if not intents & GUILD_PRESENCES:
                    # as on Discord: without presences, only the bot (and voice users)
                    bot_id = str(world.bot.id)
                    payload["members"] = [
                        m for m in payload["members"] if m["user"]["id"] == bot_id
                    ]
                await self._log_and_send(session, "GUILD_CREATE", payload)
        self.core.notify()

    async def _resume(self, ws: web.WebSocketResponse, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if session is None or data.get("token") != self.core.token:
            await self._send(ws, {"op": 9, "d": False})
            return
        after = int(data.get("seq") or 0)
        async with session.lock:
            session.ws = ws
            for seq, name, payload in session.events:
                if seq > after:
                    await self._send(ws, {"op": 0, "s": seq, "t": name, "d": payload})
            await self._log_and_send(session, "RESUMED", {})
        self.current = session
        self.resumes += 1
        self.core.notify()

    async def _send_members_chunk(self, ws: web.WebSocketResponse, data: JSON) -> None:
        guild = self.core.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None or self.current is None:
            return
        chunk = {
            "guild_id": str(guild.id),
            "members": [m.to_payload() for m in guild.members.values()],
            "chunk_index": 0,
            "chunk_count": 1,
            "nonce": data.get("nonce"),
        }
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def _log_and_send(self, session: Session, name: str, payload: Any) -> None:
        session.seq += 1
        session.events.append((session.seq, name, payload))
        if session.ws is not None and not session.ws.closed:
            try:
                await self._send(session.ws, {"op": 0, "s": session.seq, "t": name, "d": payload})
            except (ConnectionResetError, RuntimeError):  # closing under us: replay on resume
                session.ws = None

    async def _send(self, ws: web.WebSocketResponse, frame: JSON) -> None:
        await ws.send_str(json.dumps(frame))

    async def dispatch(self, name: str, payload: Any) -> None:
        """Send an event to the current session (logged for replay if it is disconnected)."""
        session = self.current
        if session is None:
            return
        async with session.lock:
            await self._log_and_send(session, name, payload)

    async def drop(self, code: int | None = 4000) -> None:
        """Close the current connection (code None: abort the TCP connection, no close frame)."""
        session = self.current
        ws = None if session is None else session.ws
        if ws is None:
            raise RuntimeError("no gateway connection to drop")
        if session is not None:
            session.ws = None
        transport = self._sockets[ws].transport if ws in self._sockets else None
        if code is None and transport is not None:
            transport.abort()  # a dead network: no close frame
        else:
            await ws.close(code=code or 4000, message=b"emulator dropped the connection")

    async def send_op(self, op: int, data: Any) -> None:
        """Send a raw opcode (7 reconnect, 9 invalid session) on the current connection."""
        session = self.current
        if session is None or session.ws is None:
            raise RuntimeError("no gateway connection")
        await self._send(session.ws, {"op": op, "d": data})
        if op == 9 and not data:
            self.sessions.pop(session.id, None)

    async def close_all(self) -> None:
        for ws in list(self._sockets.keys()):
            await ws.close(code=1001, message=b"emulator shutting down")
