"""Destinations: one small adapter per provider behind the `Destination` protocol of `base`."""
