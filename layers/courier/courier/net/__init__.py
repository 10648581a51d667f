"""Outbound network: the URL policy (SSRF guard) and pinned connections that honour it."""
