"""The HTTP API's Powertools resolver, with the request being resolved kept per thread.

Powertools keeps it on the resolver: the event and the Lambda context as attributes of its base class, the matched
route, its arguments and what the handler adds (the caller's workspace) in one `context` dict. That fits a Lambda
sandbox, which runs one request at a time. The local stack runs the render function's requests on threads, several
at once, and there two requests read each other's: another workspace's storages, another file of the console, a
context cleared under a request still running, a route's middlewares wrapped twice
(tests/functional/test_concurrent_requests.py). Here each thread has its own request, and the routes are made ready
once, so the same handler is right in both.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.data_classes.api_gateway_proxy_event import APIGatewayProxyEventV2
    from aws_lambda_powertools.utilities.typing import LambdaContext


class PerThreadResolver(APIGatewayHttpResolver):
    def __init__(self, **options: Any) -> None:
        self._request = threading.local()
        self._stacks_built = False
        self._building = threading.Lock()
        super().__init__(**options)

    def resolve(self, event: Mapping[str, Any], context: LambdaContext) -> dict[str, Any]:
        if not self._stacks_built:
            self._build_middleware_stacks()
        # Powertools sets these on its base class (shared by every thread) before routing; read from here instead.
        self._request.event = self._to_proxy_event(dict(event))
        self._request.lambda_context = context
        return super().resolve(event, context)

    def _build_middleware_stacks(self) -> None:
        """Each route wraps its function in its middlewares when first called; two threads doing it at once wrapped it
        twice (a 500). Here every route's is built once, by one thread, before the first request is routed."""
        with self._building:
            if self._stacks_built:
                return
            for route in (*self._static_routes, *self._dynamic_routes):
                if not route._middleware_stack_built:
                    route._build_middleware_stack(router_middlewares=self._router_middlewares, app=self)
            self._stacks_built = True

    @property  # type: ignore[override]
    def current_event(self) -> APIGatewayProxyEventV2:
        return self._request.event  # type: ignore[no-any-return]

    @current_event.setter
    def current_event(self, value: APIGatewayProxyEventV2) -> None:
        self._request.event = value

    @property
    def lambda_context(self) -> LambdaContext:
        return self._request.lambda_context  # type: ignore[no-any-return]

    @lambda_context.setter
    def lambda_context(self, value: LambdaContext) -> None:
        self._request.lambda_context = value

    @property
    def context(self) -> dict[str, Any]:
        if not hasattr(self._request, "context"):
            self._request.context = {}
        return self._request.context  # type: ignore[no-any-return]

    @context.setter
    def context(self, value: dict[str, Any]) -> None:
        self._request.context = value
