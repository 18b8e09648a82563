"""The pipeline's exceptions: one base, one subclass per kind of problem."""


class NewsError(Exception):
    """Base of every error the news pipeline raises; the message is one user-facing line."""


class ParseError(NewsError):
    """A body that is not a feed we can read."""


class FeedsFileError(NewsError):
    """The operator's feeds file is missing, unreadable or invalid."""


class TopicError(NewsError):
    """The topic profile is missing, unreadable or invalid."""
