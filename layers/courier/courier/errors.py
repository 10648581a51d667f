"""Typed API errors: each maps to one HTTP status and the JSON error shape of the public contract."""

from __future__ import annotations

from dataclasses import dataclass, field

from courier.models import ErrorDetail


@dataclass
class ApiError(Exception):
    message: str
    details: list[ErrorDetail] = field(default_factory=list)
    status = 400
    code = "bad_request"

    def __str__(self) -> str:
        return self.message

    @property
    def headers(self) -> dict[str, str]:
        """Extra response headers (e.g. Retry-After)."""
        return {}


class BadRequestError(ApiError):
    pass


class UnauthorizedError(ApiError):
    status = 401
    code = "unauthorized"


class NotFoundError(ApiError):
    status = 404
    code = "not_found"


class ConflictError(ApiError):
    status = 409
    code = "conflict"


class PayloadTooLargeError(ApiError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaTypeError(ApiError):
    status = 415
    code = "unsupported_media_type"


class UnprocessableError(ApiError):
    status = 422
    code = "unprocessable_entity"

    @classmethod
    def at(cls, field_path: str, message: str, kind: str = "value_error") -> UnprocessableError:
        """One bad value, named by its field path (e.g. ``connections.0.folder``)."""
        return cls(f"{field_path}: {message}", [ErrorDetail(field=field_path, message=message, type=kind)])


class ServiceUnavailableError(ApiError):
    status = 503
    code = "service_unavailable"


class RenderTooLargeError(UnprocessableError):
    """A render that asks for more work than one request may take (see courier/engine/budget.py)."""

    code = "render_too_large"
