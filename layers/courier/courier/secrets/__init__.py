"""Secrets: customer credentials in Secrets Manager, KMS sealing of request secrets and of webhook URLs' queries, and
scrubbing secrets out of messages."""
