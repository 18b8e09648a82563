"""Discord's documented limits on message bodies and command definitions.

Each check returns a list of problems (empty when the body is valid); the server answers
400 code 50035 and records them as violations.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from tests.emulator.models import JSON

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
NONCE_MAX = 25
_LIMITS = {"title": 256, "description": 4096}
_COMMAND_NAME = re.compile(r"^[-_\w]{1,32}$")


def _is_http_url(value: object, *, allow_attachment: bool = False) -> bool:
    if not isinstance(value, str):
        return False
    if allow_attachment and value.startswith("attachment://"):
        return True
    return value.startswith(("http://", "https://")) and len(value) <= 2048


def _embed_problems(index: int, embed: JSON) -> tuple[list[str], int]:
    where = f"embeds[{index}]"
    problems: list[str] = []
    total = 0
    for key, limit in _LIMITS.items():
        value = embed.get(key)
        if value is not None:
            total += len(str(value))
            if len(str(value)) > limit:
                problems.append(f"{where}.{key} longer than {limit}")
    fields: list[JSON] = embed.get("fields") or []
    if len(fields) > 25:
        problems.append(f"{where}.fields more than 25")
    for n, item in enumerate(fields):
        name, value = str(item.get("name", "")), str(item.get("value", ""))
        total += len(name) + len(value)
        if not name or len(name) > 256:
            problems.append(f"{where}.fields[{n}].name empty or longer than 256")
        if not value or len(value) > 1024:
            problems.append(f"{where}.fields[{n}].value empty or longer than 1024")
    footer: JSON = embed.get("footer") or {}
    author: JSON = embed.get("author") or {}
    total += len(str(footer.get("text", ""))) + len(str(author.get("name", "")))
    if len(str(footer.get("text", ""))) > 2048:
        problems.append(f"{where}.footer.text longer than 2048")
    if len(str(author.get("name", ""))) > 256:
        problems.append(f"{where}.author.name longer than 256")
    problems.extend(_embed_url_problems(where, embed, footer, author))
    colour = embed.get("color")
    if colour is not None and (not isinstance(colour, int) or not 0 <= colour <= 0xFFFFFF):
        problems.append(f"{where}.color out of range")
    stamp = embed.get("timestamp")
    if stamp is not None and not _is_iso(stamp):
        problems.append(f"{where}.timestamp not ISO 8601")
    return problems, total


def _embed_url_problems(where: str, embed: JSON, footer: JSON, author: JSON) -> list[str]:
    checks: list[tuple[str, Any, bool]] = [
        ("url", embed.get("url"), False),
        ("author.url", author.get("url"), False),
        ("author.icon_url", author.get("icon_url"), True),
        ("footer.icon_url", footer.get("icon_url"), True),
        ("image.url", (embed.get("image") or {}).get("url"), True),
        ("thumbnail.url", (embed.get("thumbnail") or {}).get("url"), True),
    ]
    return [
        f"{where}.{name} is not an http(s) URL"
        for name, value, attachment in checks
        if value is not None and not _is_http_url(value, allow_attachment=attachment)
    ]


def _is_iso(value: object) -> bool:
    try:
        datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _component_problems(components: list[JSON]) -> list[str]:
    problems: list[str] = []
    if len(components) > 5:
        problems.append("components more than 5 rows")
    for r, row in enumerate(components):
        children: list[JSON] = row.get("components") or []
        if row.get("type") != 1 or not 1 <= len(children) <= 5:
            problems.append(f"components[{r}] is not an action row of 1-5 items")
        for c, child in enumerate(children):
            custom_id = child.get("custom_id")
            if custom_id is not None and not 1 <= len(str(custom_id)) <= 100:
                problems.append(f"components[{r}][{c}].custom_id not 1-100 characters")
            if len(str(child.get("label", ""))) > 80:
                problems.append(f"components[{r}][{c}].label longer than 80")
            if child.get("type") == 2 and child.get("style") != 5 and custom_id is None:
                problems.append(f"components[{r}][{c}] button without custom_id")
    return problems


def message_problems(body: JSON, *, require_something: bool = True) -> list[str]:
    """Everything Discord would reject about a message create or edit body."""
    problems: list[str] = []
    content = body.get("content")
    if content is not None and len(str(content)) > CONTENT_MAX:
        problems.append(f"content longer than {CONTENT_MAX}")
    embeds: list[JSON] = body.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        problems.append(f"more than {EMBEDS_MAX} embeds")
    total = 0
    for index, embed in enumerate(embeds):
        embed_problems, size = _embed_problems(index, embed)
        problems.extend(embed_problems)
        total += size
    if total > EMBED_TOTAL_MAX:
        problems.append(f"embeds total {total} characters, more than {EMBED_TOTAL_MAX}")
    problems.extend(_component_problems(body.get("components") or []))
    nonce = body.get("nonce")
    if isinstance(nonce, str) and len(nonce) > NONCE_MAX:
        problems.append(f"nonce longer than {NONCE_MAX}")
    problems.extend(_allowed_mentions_problems(body.get("allowed_mentions")))
    return problems


def _allowed_mentions_problems(allowed: JSON | None) -> list[str]:
    """Discord refuses a type both parsed and listed, and lists over 100 ids."""
    if allowed is None:
        return []
    parse = set(allowed.get("parse") or [])
    problems = []
    for kind in ("users", "roles"):
        listed = allowed.get(kind) or []
        if listed and kind in parse:
            problems.append(f"allowed_mentions: {kind} both parsed and listed")
        if len(listed) > 100:
            problems.append(f"allowed_mentions.{kind} more than 100")
    unknown = parse - {"users", "roles", "everyone"}
    if unknown:
        problems.append(f"allowed_mentions.parse has unknown {sorted(unknown)}")
    return problems


def is_empty_message(body: JSON) -> bool:
    return not (body.get("content") or body.get("embeds") or body.get("components"))


def command_problems(command: JSON) -> list[str]:
    """What Discord rejects in an application command definition."""
    name = str(command.get("name", ""))
    problems: list[str] = []
    kind = command.get("type", 1)
    if kind == 1 and (not _COMMAND_NAME.match(name) or name != name.lower()):
        problems.append(f"command name {name!r} invalid")
    if kind == 1 and not 1 <= len(str(command.get("description", ""))) <= 100:
        problems.append(f"/{name} description not 1-100 characters")
    problems.extend(_option_problems(f"/{name}", command.get("options") or []))
    return problems


def _option_problems(where: str, options: list[JSON]) -> list[str]:
    problems: list[str] = []
    if len(options) > 25:
        problems.append(f"{where} has more than 25 options")
    names = [str(o.get("name", "")) for o in options]
    if len(set(names)) != len(names):
        problems.append(f"{where} has duplicate option names")
    seen_optional = False
    for option in options:
        label = f"{where} {option.get('name')}"
        if not _COMMAND_NAME.match(str(option.get("name", ""))):
            problems.append(f"{label}: invalid option name")
        if not 1 <= len(str(option.get("description", ""))) <= 100:
            problems.append(f"{label}: description not 1-100 characters")
        if len(option.get("choices") or []) > 25:
            problems.append(f"{label}: more than 25 choices")
        if option.get("type") in (1, 2):
            problems.extend(_option_problems(label, option.get("options") or []))
            continue
        if option.get("required"):
            if seen_optional:
                problems.append(f"{label}: required option after an optional one")
        else:
            seen_optional = True
    return problems
