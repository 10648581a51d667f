"""`python -m courier_tools.local`: run the local stack until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from courier_tools.local.stack import LocalStack, LocalStackConfig


def parse_workspace(value: str) -> tuple[str, str]:
    name, sep, key = value.partition(":")
    if not sep or not name or not key:
        raise argparse.ArgumentTypeError("use NAME:KEY")
    return name, key


def until_stopped(stopped: threading.Event) -> None:
    """Wait for SIGTERM or SIGINT (their handlers set ``stopped``), in slices: Python runs a handler in the main thread,
    and when the kernel hands the signal to another of the stack's threads, a wait without a timeout is never woken
    to run it (a stack once ignored a SIGTERM this way and never stopped)."""
    while not stopped.wait(0.25):
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m courier_tools.local", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=3000, help="HTTP API port (default 3000)")
    parser.add_argument("--aws-port", type=int, default=4566, help="AWS emulation port (default 4566)")
    parser.add_argument(
        "--workspace",
        action="append",
        type=parse_workspace,
        default=[],
        metavar="NAME:KEY",
        help="seed a workspace with this API key (repeatable); without it one demo workspace is created",
    )
    parser.add_argument(
        "--log-level", help="handlers' log level (default: $POWERTOOLS_LOG_LEVEL, as in Lambda, else WARNING)"
    )
    parser.add_argument(
        "--allow-local-urls",
        action="store_true",
        help="accept http://127.0.0.1 presigned URLs and storage endpoints (local fakes; never in a deployment)",
    )
    args = parser.parse_args(argv)

    stack = LocalStack(
        LocalStackConfig(
            host=args.host,
            port=args.port,
            aws_port=args.aws_port,
            workspaces=list(args.workspace),
            log_level=(args.log_level or os.environ.get("POWERTOOLS_LOG_LEVEL") or "WARNING").upper(),
            allow_local_urls=args.allow_local_urls,
        )
    )
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    try:
        stack.start()
        if not args.workspace:
            workspace_id, key = stack.seeded["demo"]
            print(f"workspace demo id={workspace_id} key={key}", flush=True)
        print(f"READY api={stack.api_url} aws={stack.aws_url}", flush=True)
        until_stopped(stopped)
    finally:
        ended = stack.stop()
    if not ended:
        # An invocation still running after the grace (a render waiting out its `wait` for a delivery to a server that
        # does not answer) is abandoned, as Lambda abandons a busy sandbox: a normal exit would wait for its thread.
        print("stopped; invocations still running were abandoned", file=sys.stderr, flush=True)
        sys.stdout.flush()
        os._exit(0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
