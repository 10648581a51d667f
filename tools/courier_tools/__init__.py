"""Operators' and developers' tools, not shipped in the Lambda layer: the admin and ops CLIs, the local stack."""
