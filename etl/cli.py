"""`python -m etl build|demo`: the command line, and the only place that turns
problems into exit codes and messages."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from etl.config import ConfigError, settings
from etl.countries import CountryError
from etl.problems import BuildFailed
from etl.pseudonyms import KeyMissing
from etl.warehouse import NotOurs


def _parser() -> argparse.ArgumentParser:
    config = settings()
    parser = argparse.ArgumentParser(prog="python -m etl", description=__doc__.split(":")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser(
        "build", help="build the warehouse from raw exports",
        description="Read staff*, students*, mobility* and partners* exports (CSV or .xlsx) and write the "
                    "pseudonymised Parquet warehouse. The old warehouse is replaced only when the new one is complete.")
    build.add_argument("raw_dir", nargs="?", type=Path, default=config.raw_dir,
                       help=f"folder of raw exports (default: {config.raw_dir})")
    build.add_argument("--out", type=Path, default=config.warehouse_dir,
                       help=f"warehouse folder (default: {config.warehouse_dir})")
    build.add_argument("--home-country", default=config.home_country,
                       help=f"the university's country, as code or name (default: {config.home_country})")
    build.add_argument("--lenient", action="store_true",
                       help="write the good rows and list rejected ones in rejects.csv instead of failing")
    build.add_argument("--allow-shrink", action="store_true",
                       help="publish even when a table would lose more than half of the current warehouse's rows "
                            "(e.g. after deliberately removing years)")
    build.add_argument("--demo", action="store_true",
                       help="the folder holds the synthetic demo exports of `python -m etl demo`: pseudonymise with "
                            "the published demo key and label the dashboard as demo data (never for real data)")

    demo = commands.add_parser(
        "demo", help="write synthetic raw exports for a fictional university",
        description="Write realistic synthetic raw exports (CSV and .xlsx, 2010-2025) modelled on a Finnish "
                    "technical university. Deterministic: the same command writes the same files.")
    demo.add_argument("raw_dir", nargs="?", type=Path, default=config.raw_dir,
                      help=f"folder to write into (default: {config.raw_dir})")
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        parser = _parser()   # its defaults come from config.toml
    except ConfigError as error:
        print(f"{error}\nNothing was built.", file=sys.stderr)
        return 2
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            from etl.demo import write_demo
            files = write_demo(args.raw_dir)
            print(f"Wrote {len(files)} synthetic export files to {args.raw_dir}", file=sys.stderr)
            return 0
        from etl.build import build
        build(args.raw_dir, args.out, args.home_country, args.lenient, demo=args.demo,
              allow_shrink=args.allow_shrink)
        return 0
    except BuildFailed as failure:
        print(failure.report(), file=sys.stderr)
        return 1
    except (KeyMissing, CountryError, NotOurs, ConfigError, RuntimeError, OSError) as error:
        print(f"Build stopped: {error}\nThe previous warehouse was left as it was.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("Interrupted; the previous warehouse was left as it was.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours: say so plainly; ETL_DEBUG=1 shows the trace
        if os.environ.get("ETL_DEBUG"):
            raise
        print(f"Build stopped by an unexpected error ({type(error).__name__}); the previous warehouse was left "
              "as it was. Run again with ETL_DEBUG=1 for details and report it.", file=sys.stderr)
        return 3
