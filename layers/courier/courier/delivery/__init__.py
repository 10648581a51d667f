"""Delivery: fan a staged file out to every destination of its render, with retries and dead letters; outcomes feed
listeners (the render's webhook) through a port."""
