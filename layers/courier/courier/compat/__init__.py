"""Thin edges that speak other products' APIs (routes, auth schemes, answer shapes) over our services."""
