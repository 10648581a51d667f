"""A storage shows its latest final delivery (when, how it ended, why it failed): the console's "last delivery"."""

from __future__ import annotations

import copy

from tests.functional.conftest import S3_STORAGE, Api
from tests.functional.test_webhook_render import deliver_staged, render


def test_a_storage_shows_its_last_delivery_success_then_failure(api: Api) -> None:
    # Given a storage that has delivered nothing yet
    assert api.call("PUT", "/v1/storage/main", copy.deepcopy(S3_STORAGE))[0] == 200
    assert api.call("GET", "/v1/storage/main")[1]["lastDelivery"] is None
    # When a render is delivered to it
    _, answer = render(api, connections=[{"provider": "s3", "storage": "main"}])
    deliver_staged(answer["id"])
    # Then it says so, in the storage and in the list
    last = api.call("GET", "/v1/storage/main")[1]["lastDelivery"]
    assert last["status"] == "success" and last["at"] and last["error"] is None
    assert api.call("GET", "/v1/storage")[1]["storages"][0]["lastDelivery"] == last
    # When the next delivery fails for good (the bucket is gone), it shows that and why
    storage = copy.deepcopy(S3_STORAGE) | {"auth": {"type": "policy"}, "bucket": "no-such-bucket-anymore"}
    assert api.call("PUT", "/v1/storage/main", storage)[0] == 200
    _, failing = render(api, connections=[{"provider": "s3", "storage": "main"}])
    deliver_staged(failing["id"])
    last = api.call("GET", "/v1/storage/main")[1]["lastDelivery"]
    assert last["status"] == "error" and "NoSuchBucket" in last["error"]
