"""The local stack for fault-injection tests, started as its own process like `python -m courier_tools.local`:

    python -m tests.fakes.fault_stack --port P --aws-port A --workspace NAME:KEY … [--hold NAME]

It is courier_tools.local's stack (moto server, the render and deliver handlers, moto's S3 events, Lambda's two async
retries, then the DLQ) with the deliver function's service built through its constructor arguments for a test's
time scale: adapter timeouts of about a second and no retries inside the SDKs (so every fault reaches our own
classification), a fast in-invocation retry policy, a short lease, 5 MiB S3 parts, multipart above 8 MiB. Nothing
else differs.

``--hold NAME``: staging events of that workspace are not delivered by the stack, so a test can deliver them itself
(in a process it may kill). An event carrying ``"release": true`` at its top level is delivered anyway: a test sends
one to the stack's events queue when the stack should take over a held render.

Prints ``WORKSPACE <name> <id>`` for each workspace, then ``READY api=… aws=… dlq=…`` once serving.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from urllib.parse import unquote_plus

from courier_tools.local.stack import LocalStack, LocalStackConfig

MiB = 1024 * 1024
EVENTS_QUEUE = "render-courier-staging-events"
RELEASE = "release"


class FaultStack(LocalStack):
    """The local stack, holding back the staging events of some workspaces."""

    def __init__(self, config: LocalStackConfig, held: set[str], workers: int) -> None:
        super().__init__(config)
        self.held_names = held
        self.held_ids: set[str] = set()
        # Lambda runs many invocations at once; a fault suite's retries (which wait in their worker) need more than 4.
        self._pool.shutdown()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deliver")

    def invoke_deliver(self, event: dict[str, Any]) -> None:
        # S3 (and moto) URL-encode the key in notifications, "/" included.
        keys = [unquote_plus(str(r.get("s3", {}).get("object", {}).get("key", ""))) for r in event.get("Records", [])]
        held = any(key.split("/")[1:2] and key.split("/")[1] in self.held_ids for key in keys)
        if held and not event.get(RELEASE):
            return
        super().invoke_deliver(event)


def install_fast_delivery(read_timeout: float, lease_seconds: float) -> None:
    """Replace the cached deliver-side wiring (before the handler imports it) by the same service with short
    timeouts, a fast retry policy and a short lease, built through the wiring's own arguments."""
    from courier import wiring
    from courier.delivery.retry import RetryPolicy
    from courier.delivery.service import DeliveryService
    from courier.destinations.registry import Transport
    from courier.platform.settings import deliver_settings

    built: list[DeliveryService] = []
    lock = threading.Lock()

    def delivery_service() -> DeliveryService:
        with lock:
            if not built:
                built.append(
                    wiring.build_delivery_service(
                        deliver_settings(),
                        transport=Transport(
                            connect_timeout=1.0,
                            read_timeout=read_timeout,
                            sdk_attempts=1,
                            s3_part_size=5 * MiB,
                            # 12 MiB files go multipart, 7 MiB ones in one streamed PUT: both paths meet faults.
                            s3_single_put_max=8 * MiB,
                        ),
                        # Retry-After up to 2 s is honoured in place; a longer one goes to Lambda's retry.
                        retry=RetryPolicy(tries=3, base_seconds=0.05, cap_seconds=0.2, max_retry_after=2.0),
                        lease=timedelta(seconds=lease_seconds),
                    )
                )
            return built[0]

    wiring.delivery_service = delivery_service  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> int:
    from courier_tools.local.__main__ import parse_workspace, until_stopped

    parser = argparse.ArgumentParser(prog="python -m tests.fakes.fault_stack", description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--aws-port", type=int, required=True)
    parser.add_argument("--workspace", action="append", type=parse_workspace, default=[], metavar="NAME:KEY")
    parser.add_argument("--hold", action="append", default=[], metavar="NAME", help="workspaces not delivered")
    parser.add_argument("--read-timeout", type=float, default=1.5, help="adapters' timeout, seconds")
    parser.add_argument("--lease", type=float, default=20.0, help="a delivery claim's lease, seconds")
    parser.add_argument("--retry-delays", default="1,2", help="Lambda's async retry delays, seconds")
    parser.add_argument("--workers", type=int, default=10, help="concurrent deliver invocations")
    args = parser.parse_args(argv)

    install_fast_delivery(args.read_timeout, args.lease)
    delays = tuple(float(d) for d in args.retry_delays.split(","))
    config = LocalStackConfig(
        port=args.port,
        aws_port=args.aws_port,
        workspaces=list(args.workspace),
        retry_delays=delays,
        allow_local_urls=True,
        log_level="WARNING",
    )
    stack = FaultStack(config, set(args.hold), args.workers)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    try:
        stack.start()
        for name, (workspace_id, _key) in stack.seeded.items():
            print(f"WORKSPACE {name} {workspace_id}", flush=True)
            if name in stack.held_names:
                stack.held_ids.add(workspace_id)
        print(f"READY api={stack.api_url} aws={stack.aws_url} dlq={stack.dlq_url}", flush=True)
        until_stopped(stopped)
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
