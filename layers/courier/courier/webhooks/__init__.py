"""Webhooks: Standard Webhooks signing, the sender, per-workspace settings and the render notifier."""
