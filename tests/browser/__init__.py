"""The storage console in a real browser."""
