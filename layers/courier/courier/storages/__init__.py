"""Storages: a workspace's saved destinations (probed on save) and Connect Dropbox."""
