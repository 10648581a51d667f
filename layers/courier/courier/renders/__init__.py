"""Renders: the render service, its connections, staging, status, remote copies, clips and templates."""
