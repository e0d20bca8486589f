"""Ledger commands: ingest, stories, story, export, failures, checkpoint.

Only ``ingest`` runs the analyzer (through according.scale: in this process, in ``--jobs`` worker
processes or on a Dask cluster); the single writer to the database is always this process.
"""
from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from typing import TextIO

from ..errors import AccordingError
from ..ledger import exports, queries
from ..ledger.ingest import Failure, IngestCounts
from ..ledger.store import DEFAULT_DB, Ledger
from ..terminal import plain


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "ingest", help="analyze articles and add them to the ledger",
        description="Analyze articles (.txt, .html, .jsonl, folders of those, or - for stdin) and store their reports "
        "in a SQLite ledger, one transaction per article; then merge the reports into stories. Articles already "
        "stored are skipped, so the same command resumes after a crash. Each input that fails is named on stderr "
        "and recorded (`according failures`); the others are stored, and the exit code is 1. docs/ledger.md.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (.txt, .html, .jsonl) or - for stdin")
    _db(p)
    p.add_argument("--published-from-metadata", action="store_true",
                   help="date articles by their metadata (JSONL 'published', NAME.meta.json next to a .txt)")
    p.add_argument("--jobs", type=int, default=1, metavar="N", help="analyze in N worker processes (default 1)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="analyze on a Dask cluster, e.g. tcp://HOST:8786 (pip install 'according[cluster]')")
    p.add_argument("--to-parquet", metavar="DIR", help="write the reports as Parquet partitions in DIR instead of a ledger")
    p.add_argument("--partition-size", type=int, default=256, metavar="N", help="articles per Parquet partition (default 256)")
    p.add_argument("--from-parquet", metavar="DIR", help="add the reports of the Parquet partitions in DIR to the ledger")
    p.add_argument("--model", default=None, help="spaCy model package or shortcut (sm, md)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="give up on an article after this long (default 30; long texts get 1 s per 5,000 characters)")
    p.add_argument("--actors", action="append", default=[], metavar="TSV",
                   help="your own actors (name, country, sector, kind; tab-separated), over the packaged ones (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "stories", help="list the merged stories in the ledger",
        description="List the stories (reports of one event merged across articles), most reported first: type, "
        "actor -> recipient, object, reports, independent sources, denials, status and first report. "
        "Filter by party, type, date or contested; --format json for scripts.")
    _db(p)
    p.add_argument("--actor", help="actor key, e.g. IRN")
    p.add_argument("--recipient", help="recipient key, e.g. RUS")
    p.add_argument("--type", help="PLOVER event type, e.g. AID")
    p.add_argument("--since", metavar="DATE", help="stories with a report on or after DATE (YYYY-MM-DD)")
    p.add_argument("--contested", action="store_true", help="only stories that someone denies")
    p.add_argument("--limit", type=int, default=None, help="at most this many stories")
    _fmt(p)
    p.set_defaults(func=cmd_stories)

    p = sub.add_parser(
        "story", help="one story's full evidence",
        description="Show one story: every report (outlet, date, title, sentence), each attribution behind it "
        "(source, cue, stance, content), the lines of reporting that back or deny it, provenance claims, and "
        "with --why the merge score of each report.")
    p.add_argument("id", metavar="ID", help="a story id, or a unique prefix of one")
    _db(p)
    p.add_argument("--why", action="store_true", help="explain why each report was merged into the story")
    _fmt(p)
    p.set_defaults(func=cmd_story)

    p = sub.add_parser(
        "export", help="export the ledger's stories",
        description="Write the stories as PLOVER JSONL (plover), one CSV row per story (csv), a flat CSV row per "
        "report and source (reports-csv, GDELT-style), a GraphML graph of parties, stories and sources "
        "(graphml), or each story with its evidence (jsonl). CSV cells a spreadsheet would run as formulas are quoted.")
    _db(p)
    p.add_argument("--format", required=True, choices=exports.FORMATS)
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "failures", help="inputs that could not be ingested, and why",
        description="List each input that could not be ingested (unreadable file, bad JSONL line, analysis error "
        "or time-out) with its reason. An input that later succeeds leaves the list.")
    _db(p)
    _fmt(p)
    p.set_defaults(func=cmd_failures)

    p = sub.add_parser(
        "checkpoint", help="make the ledger file whole, to copy or back it up alone",
        description="Copy the write-ahead log (according.db-wal) into the ledger file and empty it, waiting for "
        "readers to finish, so the .db file alone holds every stored article. ingest does this at its end "
        "when no reader holds it back; run this before copying the file while a viewer has it open.")
    _db(p)
    p.set_defaults(func=cmd_checkpoint)


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"ledger database (default {DEFAULT_DB})")


def _fmt(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "json"), default="text", help="json for scripts")


# --- ingest ---------------------------------------------------------------------------------------

def cmd_ingest(args: argparse.Namespace) -> int:
    from .. import scale
    from .actors_option import checked_actor_files
    from .progress import progress_bar, say

    _check_ingest_args(args)
    settings = scale.WorkerSettings(model=args.model, timeout=args.timeout, actors=checked_actor_files(args.actors))
    counts = IngestCounts()
    with scale.open_runner(jobs=args.jobs, scheduler=args.scheduler, settings=settings) as runner:
        if args.to_parquet:
            ledger_cm = nullcontext(None)
        else:
            ledger_cm = Ledger.open(args.db)
        with ledger_cm as ledger:
            bar = progress_bar(args.paths, quiet=args.quiet, count=not args.from_parquet)

            def progress(c: IngestCounts) -> None:
                bar.update(c.added + c.failed + c.skipped + c.repeated - bar.n)  # skipped ones count as done
                bar.set_postfix(failed=c.failed, skipped=c.skipped + c.repeated, refresh=False)

            def failed(f: Failure) -> None:
                say(f"according: failed {f.origin}: {f.reason}")

            try:
                if args.from_parquet:
                    scale.ingest_parquet(ledger, args.from_parquet, counts=counts, on_item=progress, on_failure=failed)
                elif args.to_parquet:
                    scale.write_parquet(args.to_parquet, args.paths, runner, dated=args.published_from_metadata,
                                        counts=counts, on_item=progress, partition_size=args.partition_size)
                else:
                    scale.ingest(ledger, args.paths, runner, dated=args.published_from_metadata, counts=counts,
                                 on_item=progress, on_failure=failed)
            finally:
                progress(counts)  # skipped articles never reach the writer
                bar.close()
            totals = queries.counts(ledger.conn) if ledger is not None else None
            whole = ledger.checkpoint() if ledger is not None else True
    if totals is None:
        print(f"wrote {counts.added} reports and {counts.failed} failures as Parquet partitions in "
              f"{args.to_parquet}; add them to a ledger with `according ingest --from-parquet {args.to_parquet}`",
              file=sys.stderr)
    else:
        repeated = f", {counts.repeated} repeated within this run (stored once)" if counts.repeated else ""
        print(f"added {counts.added}, skipped {counts.skipped} already in the ledger{repeated}, failed {counts.failed}; "
              f"ledger {args.db}: {totals['articles']} articles, {totals['events']} events, "
              f"{totals['stories']} stories, {totals['failures']} failures", file=sys.stderr)
    if not whole:
        print(f"note: a reader holds part of the write-ahead log back: copy {args.db} together with {args.db}-wal, "
              f"or run `according checkpoint --db {args.db}` first", file=sys.stderr)
    if counts.dated_in_metadata:
        print(f"note: {counts.dated_in_metadata} articles carry a published date in their metadata; "
              "pass --published-from-metadata to use it", file=sys.stderr)
    if counts.failed:
        print(f"according: {counts.failed} input(s) failed (named above; `according failures` lists them); "
              "the others were stored", file=sys.stderr)
        return 1
    return 0


def _check_ingest_args(args: argparse.Namespace) -> None:
    if args.jobs < 1 or args.partition_size < 1:
        raise AccordingError("--jobs and --partition-size must be 1 or more")
    if args.from_parquet and (args.paths or args.to_parquet):
        raise AccordingError("--from-parquet DIR reads reports already made: give no PATH and no --to-parquet")
    if not args.from_parquet and not args.paths:
        raise AccordingError("give the articles to ingest (PATH...), or --from-parquet DIR")
    if args.scheduler and args.jobs > 1:
        raise AccordingError("--jobs is for this machine; with --scheduler the cluster's workers do the work")


# --- read commands --------------------------------------------------------------------------------

def cmd_stories(args: argparse.Namespace) -> int:
    where = queries.StoryFilter(args.actor, args.recipient, args.type, args.since, args.contested, args.limit)
    with Ledger.open(args.db, readonly=True) as ledger:
        stories = queries.list_stories(ledger.conn, where)
    if args.format == "json":
        json.dump([s.to_dict() for s in stories], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print_stories(stories, sys.stdout)
    return 0


def print_stories(stories: list[queries.StoryRow], out: TextIO) -> None:
    header = ("ID", "TYPE", "ACTOR -> RECIPIENT", "OBJECT", "REPORTS", "INDEP", "DENIALS", "STATUS", "FIRST REPORT")
    rows = [(_clip(s.id, 40), _clip(s.type, 12), f"{_clip(s.actor_key or '?', 24)} -> {_clip(s.recipient_key or '?', 24)}",
             _clip(s.object_class or "-", 24),
             str(s.reports), str(s.independent_sources), str(s.denials), s.status,
             " ".join(x for x in (s.first_published or s.first_date or "undated", s.first_outlet or "",
                                  _clip(s.first_title or "", 40)) if x)) for s in stories]
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header) - 1)]
    for row in [header] + rows:
        out.write("  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1] + "\n")
    if not stories:
        out.write("(no stories)\n")


def _clip(text: str, n: int) -> str:
    """Text for one cell of a terminal table: control characters (ESC sequences that retitle or clear a
    terminal, BEL, newlines) become a space, then clipped to n characters."""
    text = plain(text)
    return text if len(text) <= n else text[: n - 1] + "…"


def cmd_story(args: argparse.Namespace) -> int:
    with Ledger.open(args.db, readonly=True) as ledger:
        detail = queries.get_story(ledger.conn, args.id)
    if args.format == "json":
        data = detail.to_dict()
        if not args.why:
            for r in data["reports"]:
                r.pop("why", None)
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    print_story(detail, sys.stdout, why=args.why)
    return 0


def print_story(detail: queries.StoryDetail, out: TextIO, *, why: bool) -> None:
    s = detail.story

    def w(line: str) -> None:
        out.write(plain(line.rstrip("\n")) + "\n")  # article data never carries a terminal control sequence

    span = f"{s.first_date} .. {s.last_date}" if s.first_date else "undated"
    w(f"story {s.id}: {s.type} {s.actor_key or '?'} -> {s.recipient_key or '?'} "
      f"({s.object_class or 'object unknown'}), {span}\n")
    negated = f"; reported as not having happened in {s.negated} report(s)" if s.negated else ""
    w(f"status: {s.status}; reported in {s.reports} article(s) ({s.articles} involved); "
      f"independent sources: {s.independent_sources}; denials: {s.denials}{negated}\n")
    w(f"first report in the ledger: {s.first_published or 'date unknown'} {s.first_outlet or ''} "
      f"{s.first_title or ''}\n".replace("  ", " "))
    for p in detail.provenance:
        w(f"provenance: {p.article_outlet or 'an article'} says {p.outlet} {p.claim.replace('_', ' ')}\n")
    for role, title in (("backs", "backed by"), ("denies", "denied by")):
        lines = [x for x in detail.sources if x.role == role]
        if lines:
            w(f"{title}:\n")
            for x in lines:
                party = ", a party to it" if x.is_party else ""
                w(f"  - {x.label} [{x.source_type or 'unknown'}{party}] in {x.reports} report(s)  ({x.key})\n")
    w("reports:\n")
    for r in detail.reports:
        copy = f", copy of {r.duplicate_of}" if r.duplicate_of else ""
        w(f"  [{r.role}] {r.published or 'undated'} {r.outlet or '(no outlet)'}{copy}: "
          f"{r.title or ''} ({r.origin})\n")
        w(f"    {r.event_status} '{r.trigger}' {r.object_text or ''}: {(r.sentence or '').strip()}\n")
        for a in r.sources:
            content = f': "{_clip(a.content, 120)}"' if a.content else ""
            w(f"    {a.attribution_id} {a.role}: {a.source or '(no source)'} [{a.source_type}] "
              f"'{a.cue}' {a.stance}, {a.quote}{content}\n")
        if why:
            w(f"    why: {r.why}\n")


def cmd_export(args: argparse.Namespace) -> int:
    with Ledger.open(args.db, readonly=True) as ledger:
        if args.out:
            with open(args.out, "w", encoding="utf-8", newline="") as out:
                n = exports.export(ledger.conn, args.format, out)
            print(f"wrote {n} stories to {args.out}", file=sys.stderr)
        else:
            exports.export(ledger.conn, args.format, sys.stdout)
    return 0


def cmd_checkpoint(args: argparse.Namespace) -> int:
    Ledger.open(args.db, readonly=True).close()  # a missing or foreign file fails here, with its message
    with Ledger.open(args.db) as ledger:
        whole = ledger.checkpoint(wait=True)
    if not whole:
        raise AccordingError(f"a reader kept {args.db} busy for 30 s; close the viewer or Datasette and run it again")
    print(f"{args.db} holds every stored article: it can be copied alone", file=sys.stderr)
    return 0


def cmd_failures(args: argparse.Namespace) -> int:
    with Ledger.open(args.db, readonly=True) as ledger:
        rows = queries.list_failures(ledger.conn)
    if args.format == "json":
        json.dump([r.to_dict() for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for r in rows:
        print(f"{plain(r.origin)}\t{plain(r.reason)}")
    if not rows:
        print("(no failures)")
    return 0
