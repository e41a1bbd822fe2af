"""The `archiwum` command: crawl, serve, sources, explain, export, demo."""
from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from importlib.metadata import version
from pathlib import Path

import scrapy

from scraper.archive import export
from scraper.archive.db import ArchiveError, connect
from scraper.archive.selection import SelectionError
from scraper.cli import attachments as attachments_cli
from scraper.cli import distributed as distributed_cli
from scraper.cli import status
from scraper.cli.common import (UserError, add_db_argument, add_registry_argument, add_settings_argument,
                                parse_settings)
from scraper.crawl import runner as crawl
from scraper.registry import gminas
from scraper import settings as project_settings
from scraper.registry.sources import KINDS, VOIVODESHIPS, RegistryError, adhoc_source, load_registry, select


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MANY_PORTALS = 10  # a crawl of more portals than this needs a contact (or --no-contact)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UserError, RegistryError, ArchiveError, SelectionError, crawl.CrawlLocked) as error:
        print(f"archiwum: error: {error}", file=sys.stderr)
        return crawl.EXIT_LOCKED if isinstance(error, crawl.CrawlLocked) else crawl.EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="archiwum", description="Crawl Polish municipal social-policy news into a searchable archive.")
    parser.add_argument("--version", action="version",
                        version=f"archiwum {version('archiwum')} (Scrapy {scrapy.__version__})")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("crawl", help="crawl registry sources, or any portal with --url")
    p.add_argument("sources", nargs="*", metavar="SOURCE", help="registry ids (none: all)")
    p.add_argument("--url", help="crawl any portal from this start URL, with zero configuration")
    p.add_argument("--name", help="with --url: the source name stored in articles.source")
    p.add_argument("--full", action="store_true", help="fetch known articles again, not only new ones")
    p.add_argument("--max-pages", type=int, metavar="N",
                   help="page budget per portal (default: the registry's max_pages, else 5000)")
    p.add_argument("--log-file", help="write the crawl log to this file")
    add_verbosity_arguments(p)
    p.add_argument("--no-contact", action="store_true",
                   help=f"crawl more than {MANY_PORTALS} portals without ARCHIWUM_CONTACT (not recommended)")
    add_db_argument(p)
    add_registry_argument(p)
    add_settings_argument(p)
    p.set_defaults(run=run_crawl)

    p = commands.add_parser("serve", help="serve the archive with Datasette")
    add_db_argument(p)
    p.add_argument("--create", action="store_true", help="make an empty archive if there is none at --db")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--public", action="store_true",
                   help="for a public address: no arbitrary SQL (search, canned queries and exports stay)")
    add_settings_argument(p)
    p.set_defaults(run=run_serve)

    p = commands.add_parser("sources", help="list the source registry, or import gminas from CSV")
    p.add_argument("--voivodeship", help="only sources in this voivodeship")
    p.add_argument("--kind", help="only sources of this kind (city_hall, welfare_centre, ...)")
    add_registry_argument(p)
    p.set_defaults(run=run_sources)
    actions = p.add_subparsers(dest="action", metavar="ACTION")
    imports = actions.add_parser("import", help="a registry (TOML) from a CSV of gminas and their portals")
    gminas.add_import_arguments(imports)
    imports.set_defaults(run=gminas.run_import)

    p = commands.add_parser("worker", help="crawl from a Redis frontier shared with other workers")
    distributed_cli.add_worker_arguments(p)
    p.set_defaults(run=distributed_cli.run_worker)

    p = commands.add_parser("writer", help="store what the workers send into archive.db")
    distributed_cli.add_writer_arguments(p)
    p.set_defaults(run=distributed_cli.run_writer)

    p = commands.add_parser("demo", help="crawl the bundled offline replicas and serve the result")
    add_db_argument(p)
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--no-serve", action="store_true", help="crawl only, do not start Datasette")
    p.set_defaults(run=run_demo)

    p = commands.add_parser("explain", help="what the archive knows of a page, and why it was (not) stored")
    p.add_argument("url", metavar="URL")
    add_db_argument(p)
    p.set_defaults(run=run_explain)

    p = commands.add_parser("status", help="the last crawl, every source's health, what needs a look (exit 1)")
    add_db_argument(p)
    add_registry_argument(p)
    status.add_arguments(p)
    distributed_cli.add_status_arguments(p)  # --redis: a distributed crawl's status instead
    p.set_defaults(run=lambda args: (distributed_cli.run_status if args.redis else status.run)(args))

    p = commands.add_parser("attachments", help="read the text of fetched attachments not read yet")
    attachments_cli.add_arguments(p)
    p.set_defaults(run=attachments_cli.run)

    add_export_command(commands)
    return parser


def add_verbosity_arguments(parser) -> None:
    """On a terminal the progress line stands alone: Scrapy's start-up and stats dumps go to
    --log-file, or to the terminal with -v."""
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument("-q", "--quiet", action="store_true",
                          help="no progress line, only errors and the summary line (for cron)")
    loudness.add_argument("-v", "--verbose", action="count", default=0,
                          help="Scrapy's log on the terminal too (-vv: debug)")
    loudness.add_argument("--log-level", type=str.upper, choices=LOG_LEVELS, help="the log level, terminal or file")


def log_level(args) -> str:
    """Explicit --log-level; -v/-vv; else all of it in a log file, and little on a terminal."""
    if args.log_level:
        return args.log_level
    if args.verbose:
        return "INFO" if args.verbose == 1 else "DEBUG"
    if args.log_file:
        return "INFO"
    return "ERROR" if args.quiet else "WARNING"


def add_export_command(commands) -> None:
    p = commands.add_parser("export", help="export articles as CSV, JSON or .xlsx, filtered like the web UI")
    add_db_argument(p)
    export.add_arguments(p)
    p.set_defaults(run=export.run)


def run_crawl(args) -> int:
    if args.url:
        if args.sources:
            raise UserError("give either SOURCE ids or --url, not both")
        sources = [adhoc_source(args.url, args.name)]
    else:
        sources = select(load_registry(args.registry), args.sources)
    if args.max_pages is not None:
        if args.max_pages < 1:
            raise UserError("--max-pages takes a positive number")
        sources = [replace(source, max_pages=args.max_pages) for source in sources]
    overrides = crawl_overrides(args)
    connect(args.db).conn.close()  # a bad --db is said before anything else
    check_contact(overrides.get("ARCHIWUM_CONTACT"), len(sources), args)
    return attachments_cli.crawl_and_read(sources, args.db, overrides)


def crawl_overrides(args) -> dict[str, str]:
    overrides = parse_settings(args.settings)
    if args.full:
        overrides["ARCHIWUM_FULL"] = "True"
    if args.log_file:
        overrides["LOG_FILE"] = args.log_file
    overrides.setdefault("LOG_LEVEL", log_level(args))
    if args.quiet:
        overrides.setdefault("ARCHIWUM_PROGRESS", "False")
    return overrides


def check_contact(contact: str | None, portals: int, args) -> None:
    """Portal operators should be able to reach whoever crawls them: a warning without a contact,
    a refusal for a crawl of many portals unless --no-contact says it is meant."""
    if contact and contact.strip() and contact != project_settings.ARCHIWUM_CONTACT:
        return
    if portals > MANY_PORTALS and not args.no_contact:
        raise UserError(f"{portals} portals and no ARCHIWUM_CONTACT: give -s ARCHIWUM_CONTACT=mailto:you@example.org "
                        "(or --no-contact to crawl anonymously)")
    if not args.no_contact:
        print("archiwum: warning: ARCHIWUM_CONTACT is not set: portal operators see "
              f"\"{project_settings.USER_AGENT.format(contact=project_settings.ARCHIWUM_CONTACT)}\"; "
              "give -s ARCHIWUM_CONTACT=mailto:you@example.org", file=sys.stderr)


def run_serve(args) -> int:
    if not Path(args.db).exists() and not args.create:
        raise UserError(f"no archive at {args.db} (--create makes an empty one)")
    connect(args.db).conn.close()
    from scraper.web.serve import serve

    return serve(args.db, host=args.host, port=args.port, public=args.public,
                 web_settings=parse_settings(args.settings))


def run_sources(args) -> int:
    if args.kind and args.kind not in KINDS:
        raise UserError(f"unknown kind {args.kind!r} (one of {', '.join(sorted(KINDS))})")
    if args.voivodeship and args.voivodeship not in VOIVODESHIPS:
        raise UserError(f"unknown voivodeship {args.voivodeship!r}")
    sources = load_registry(args.registry).values()
    for source in sources:
        if args.voivodeship and source.voivodeship != args.voivodeship:
            continue
        if args.kind and source.kind != args.kind:
            continue
        print(f"{source.id:20} {source.kind:16} {source.voivodeship:20} {source.name}")
    return 0


def run_explain(args) -> int:
    from scraper.archive.explain import explain

    if not Path(args.db).is_file():
        raise UserError(f"no archive at {args.db}")
    lines, known = explain(args.db, args.url)
    print("\n".join(lines))
    return 0 if known else 1


def run_demo(args) -> int:
    from scraper.cli import demo  # Datasette's imports only where it is served

    return demo.run_demo(args.db, serve_port=None if args.no_serve else args.port)


if __name__ == "__main__":
    sys.exit(main())
