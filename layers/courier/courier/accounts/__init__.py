"""Accounts: workspaces, their API keys, authentication and the per-workspace rate limit."""
