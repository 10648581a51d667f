"""Store: the one object the services receive for the table, composed of one repository per kind of item.

Each kind's reads and writes live in its own module here (workspaces, storages, OAuth states, templates, renders,
deliveries, webhooks), over one shared boto3 ``Table``; the item layout and shared helpers are in ``table.py``, the
claim/settle lease that deliveries and webhooks share in ``lease.py``. Callers use ``store.<method>(...)`` and never
see which repository answers; a new kind of item is a new repository added to ``Store``'s bases.
"""

from __future__ import annotations

from courier.persistence.deliveries import Deliveries
from courier.persistence.oauth import OAuthStates
from courier.persistence.renders import Renders
from courier.persistence.storages import Storages
from courier.persistence.templates import Templates
from courier.persistence.webhooks import Webhooks
from courier.persistence.workspaces import Workspaces


class Store(Workspaces, Storages, OAuthStates, Templates, Renders, Deliveries, Webhooks):
    """Every repository over one table: ``Store(table)``."""
