"""`according serve`: the local web viewer over a ledger, read-only."""
from __future__ import annotations

import argparse
import sys
import threading
import webbrowser

from ..errors import AccordingError
from ..ledger.store import DEFAULT_DB

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="browse the ledger in a local web viewer (read-only)",
        description="Serve a read-only web viewer over the ledger: the story list with filters, each story's "
        "evidence, articles, a network of parties and reports per week, and JSON under /api (docs/web.md). "
        "Listens on 127.0.0.1 unless told otherwise.")
    p.add_argument("--db", default=DEFAULT_DB, metavar="FILE", help=f"ledger database (default {DEFAULT_DB})")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 shares it on the network)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    p.add_argument("--open", action="store_true", help="open the viewer in the web browser")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ..ledger.store import Ledger
    from ..web import create_app

    if not 0 <= args.port <= 65535:
        raise AccordingError(f"--port {args.port} is not a port number (0-65535)")
    Ledger.open(args.db, readonly=True).close()  # a missing or foreign file fails here, with its message
    app = create_app(args.db)
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)

    def announce() -> None:
        """Once the socket listens: say where, and who can reach it."""
        while not server.started:
            if server.should_exit:
                return
            threading.Event().wait(0.05)
        port = server.servers[0].sockets[0].getsockname()[1] if server.servers else args.port
        host = f"[{args.host}]" if ":" in args.host else args.host
        url = f"http://{host}:{port}/"
        reach = ("only this machine can reach it" if args.host in LOOPBACK
                 else f"listening on {args.host}: other machines on the network can reach it")
        print(f"according: serving {args.db} read-only at {url} ({reach}); Ctrl-C stops", file=sys.stderr, flush=True)
        if args.open:
            webbrowser.open(url.replace("0.0.0.0", "127.0.0.1"))

    threading.Thread(target=announce, daemon=True).start()
    try:
        server.run()
    except (OSError, SystemExit):  # uvicorn exits when it cannot bind
        pass
    if not server.started:
        raise AccordingError(f"cannot listen on {args.host}:{args.port} (is the port in use? try --port 0)")
    return 0
