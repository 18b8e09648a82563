"""The news pipeline's exceptions: one base, `NewsError`, for everything news/ raises."""

from __future__ import annotations


class NewsError(Exception):
    """Base of every error the news pipeline raises on purpose."""


class ParseError(NewsError):
    """A body that is not a feed (or not one we can read); the message is one short line."""
