"""Platform: our own AWS clients, function settings, metrics and traces, log filters."""
