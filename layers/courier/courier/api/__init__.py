"""The HTTP API's own concerns: admission, the error shape, idempotency, pagination, OpenAPI, the console."""
