"""The Docker-free local stack (development only; not shipped in the Lambda layer)."""
