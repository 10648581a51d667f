"""Persistence: the service's one DynamoDB table, one repository per kind of item."""
