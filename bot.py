"""talkwatch entry point: command line, settings, logging and wiring. No SQL, no news logic.

`talkwatch run` lives in `cli/run.py`; the Discord bot it starts (who opens and closes what,
`setup_hook`, shutdown) is `handlers/app.py`, imported only then, so that the other commands
never pay for importing discord.py.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from settings import Settings, SettingsError, load_settings

log = logging.getLogger("talkwatch")

EXIT_USAGE = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="talkwatch",
        description="Follow the Ukraine-Russia peace talks and post developments to Discord.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    check = commands.add_parser("check", help="check the feeds and print what is new")
    check.add_argument("--once", action="store_true", help="one cycle over every feed, now")
    check.add_argument(
        "--dry-run", action="store_true", help="print only; queue nothing for Discord"
    )
    commands.add_parser("demo", help="offline demo on the bundled sample feeds")
    triage = commands.add_parser("triage", help="judge JSON lines of stories (- for stdin)")
    triage.add_argument("file", help="JSON lines file, or - for standard input")
    triage.add_argument("--db", help="also record into this database (default: none)")
    invite = commands.add_parser("invite", help="print the URL that invites the bot to a server")
    invite.add_argument(
        "--application-id",
        type=int,
        help="the application id (default: asked from Discord with DISCORD_TOKEN)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"talkwatch: {exc}", file=sys.stderr)
        return EXIT_USAGE
    logging.getLogger().setLevel(settings.log_level)
    return dispatch(args, settings)


def dispatch(args: argparse.Namespace, settings: Settings) -> int:
    """Hand the parsed command to its module in `cli/`; each returns the exit code.

    Modules are imported lazily so that `check` or `triage` never pay for discord.py's import.
    """
    module = importlib.import_module(f"cli.{args.command}")
    code: int = module.main(args, settings)
    return code


if __name__ == "__main__":
    sys.exit(main())
