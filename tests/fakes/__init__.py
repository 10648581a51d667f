"""Fakes that tests run against instead of mocks: real local servers and in-memory adapters."""
