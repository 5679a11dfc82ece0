"""`coach serve`: the local web page and its JSON API (coach.web) on uvicorn."""

from __future__ import annotations

import dataclasses
import socket
import threading
import webbrowser

import click

from ..settings import Options
from .options import analysis_options

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but 127.0.0.1 lets other computers send drafts to it.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="The port (0: any free port).")
@click.option("--no-browser", is_flag=True, help="Do not open the page in a browser.")
@analysis_options
def serve(host: str, port: int, no_browser: bool, options: Options) -> None:
    """Open coach as a page in your browser: paste or upload a draft and see it annotated, or write a
    thank-you email. Runs on this computer only; drafts stay in memory and are never saved.

    The same page answers a JSON API: POST /api/check, POST /api/email, GET /api/health (see README)."""
    import uvicorn

    from ..web.app import allowed_hosts, create_app
    from ..web.engine import Engine

    if host not in LOOPBACK:
        click.echo(f"coach: warning: listening on {host}: drafts typed on other computers will cross the network "
                   "unencrypted, and anyone who can reach this address can use it.", err=True)
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    click.echo("coach: loading the models…", err=True)
    engine = Engine(dataclasses.replace(options, grammar=options.grammar or "speller"))
    for notice in engine.analyzer.notices():
        click.echo(f"coach: {notice}", err=True)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    config = uvicorn.Config(create_app(engine, allowed_hosts(host, port)), access_log=False, log_level="warning",
                            server_header=False, date_header=False, lifespan="off")
    server = uvicorn.Server(config)
    click.echo(f"coach: serving on {url}  (Ctrl-C to stop)")
    if not no_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port} ({exc.strerror or exc}); "
                                   "try another --port") from None
    sock.set_inheritable(True)
    return sock
