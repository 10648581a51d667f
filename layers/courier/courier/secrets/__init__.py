"""Secrets: customer credentials in Secrets Manager, KMS sealing, and scrubbing secrets out of messages."""
