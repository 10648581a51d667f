"""Webhooks: events, Standard Webhooks signing, the sender, secrets, per-workspace settings and the render notifier."""
