"""Delivery: fan a staged file out to every destination of its render, with retries and dead letters."""
