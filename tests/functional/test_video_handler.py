"""The video function, in-process on moto: a clip accepted by the API is queued, the SQS event from events/ (its
body the queued job, as `sam local invoke -e` would pass it) draws it, stages it and records it; a job whose
template went away is recorded failed; a redelivered job does nothing twice."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote_plus

import boto3
import pytest

from courier_tools.local.stack import FakeContext
from tests.conftest import load_event
from tests.functional.conftest import S3_STORAGE, STAGING, Api

TEASER = {
    "id": "teaser",
    "name": "teaser",
    "pages": [
        {
            "width": 160,
            "height": 90,
            "duration": 1,
            "fps": 8,
            "layers": [
                {
                    "type": "rect",
                    "name": "bar",
                    "width": 40,
                    "height": 10,
                    "keyframes": {"x": [{"time": 0, "value": 0}, {"time": 1, "value": 120}]},
                }
            ],
        }
    ],
}


@pytest.fixture
def clips(api: Api, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The clip queue, as template.yaml gives the render function its URL."""
    from tests.functional.conftest import _clear_caches

    url = boto3.client("sqs").create_queue(QueueName="clips")["QueueUrl"]
    monkeypatch.setenv("COURIER_CLIP_QUEUE_URL", url)
    _clear_caches()
    assert api.call("PUT", "/v1/templates/teaser", TEASER)[0] == 200
    yield url


def _job_event(queue_url: str) -> dict[str, Any]:
    [message] = boto3.client("sqs").receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    event = copy.deepcopy(load_event("video.sqs.clip-job.json"))
    event["Records"][0]["body"] = message["Body"]
    return event


def _run(event: dict[str, Any]) -> dict[str, Any]:
    import video_handler

    return dict(video_handler.lambda_handler(event, FakeContext("VideoFunction", 900)))


def _deliver(key: str) -> dict[str, Any]:
    """The staged object's S3 event (events/deliver.s3.encoded-key.json for this key) through the deliver function."""
    import deliver_handler

    event = copy.deepcopy(load_event("deliver.s3.encoded-key.json"))
    event["Records"][0]["s3"]["bucket"]["name"] = STAGING
    event["Records"][0]["s3"]["object"]["key"] = quote_plus(key)
    return dict(deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900)))


def test_a_queued_clip_is_drawn_staged_and_recorded(api: Api, clips: str) -> None:
    status, accepted = api.call("POST", "/v1/renders", {"templateId": "teaser", "response": {"format": "mp4"}})
    assert status == 200 and accepted["status"] == "rendering" and accepted["data"] is None
    event = _job_event(clips)
    assert json.loads(event["Records"][0]["body"]) == {
        "workspaceId": api.workspaces["acme"],
        "renderId": accepted["id"],
    }

    assert _run(event) == {"batchItemFailures": []}

    # Drawn, recorded and uploaded: staging until its file's S3 event reaches the deliver function (a client never
    # gets a content link to a file not there yet)
    [staged] = api.store.get_render(accepted["id"])[0].files  # type: ignore[index]
    assert api.store.get_render(accepted["id"])[0].state == "staging"  # type: ignore[index]
    # A copy of the message meanwhile (SQS is at-least-once) finds the job ended: the clip is not failed
    assert _run(event) == {"batchItemFailures": []}
    assert api.store.get_render(accepted["id"])[0].state == "staging"  # type: ignore[index]
    assert _deliver(staged.key)["delivered"] == 0
    assert api.store.get_render(accepted["id"])[0].state is None  # type: ignore[index]
    status, done = api.call("GET", f"/v1/renders/{accepted['id']}")
    assert done["status"] == "completed" and done["data"]["format"] == "mp4", done
    head = boto3.client("s3").head_object(Bucket=STAGING, Key=staged.key)
    assert head["ContentType"] == "video/mp4" and head["ContentLength"] == staged.size > 0
    assert staged.checksum.startswith("sha256:") and staged.filename == "teaser.mp4"
    # The job's request is gone once used
    assert boto3.client("s3").list_objects_v2(Bucket=STAGING, Prefix="jobs/")["KeyCount"] == 0

    # A redelivered message (SQS is at-least-once) finds the clip done and stages nothing again
    before = boto3.client("s3").list_objects_v2(Bucket=STAGING, Prefix="staging/")["KeyCount"]
    assert _run(event) == {"batchItemFailures": []}
    assert boto3.client("s3").list_objects_v2(Bucket=STAGING, Prefix="staging/")["KeyCount"] == before


def test_a_clip_whose_files_events_were_lost_is_read_completed_and_delivered_by_the_reconciler(
    api: Api, clips: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deliver_handler

    # Given a clip for the workspace's storage, drawn and uploaded, whose file's S3 event never reached the deliver
    # function (Lambda's asynchronous queue dropped it)
    boto3.client("s3").create_bucket(Bucket="acme-renders")
    assert api.call("PUT", "/v1/storage/default", S3_STORAGE)[0] == 200
    body = {
        "templateId": "teaser",
        "response": {"format": "mp4"},
        "connections": [{"provider": "s3", "storage": "default"}],
    }
    status, accepted = api.call("POST", "/v1/renders", body)
    assert status == 200 and accepted["status"] == "rendering", accepted
    assert _run(_job_event(clips)) == {"batchItemFailures": []}
    assert api.store.get_render(accepted["id"])[0].state == "staging"  # type: ignore[index]

    # When the reconcile schedule fires
    monkeypatch.setenv("COURIER_RECONCILE_AFTER_SECONDS", "0")
    report = deliver_handler.lambda_handler({"source": "render-courier.reconcile"}, FakeContext("DeliverFunction", 900))

    # Then it finds the file staged, ends the clip's staging and delivers it
    assert report["delivered"] == 1, report
    done = api.call("GET", f"/v1/renders/{accepted['id']}")[1]
    assert done["status"] == "completed" and done["connections"][0]["status"] == "success", done
    [staged] = api.store.get_render(accepted["id"])[0].files  # type: ignore[index]
    delivered = boto3.client("s3").list_objects_v2(Bucket="acme-renders", Prefix="renders/")["Contents"]
    assert [(o["Key"].rsplit("/", 1)[1], o["Size"]) for o in delivered] == [("teaser.mp4", staged.size)]


def test_a_status_read_ends_the_staging_of_a_clip_whose_files_are_there(api: Api, clips: str) -> None:
    # Given a clip without connections, uploaded, its file's S3 event lost
    accepted = api.call("POST", "/v1/renders", {"templateId": "teaser", "response": {"format": "mp4"}})[1]
    assert _run(_job_event(clips)) == {"batchItemFailures": []}
    [staged] = api.store.get_render(accepted["id"])[0].files  # type: ignore[index]
    # Another workspace asking for it is answered 404, as for a render that does not exist, and changes nothing
    assert api.call("GET", f"/v1/renders/{accepted['id']}", key="globex")[0] == 404
    assert api.store.get_render(accepted["id"])[0].state == "staging"  # type: ignore[index]
    # When its client reads its status: the file is looked at, and the render is complete, its link works
    done = api.call("GET", f"/v1/renders/{accepted['id']}")[1]
    assert done["status"] == "completed", done
    assert api.store.get_render(accepted["id"])[0].state is None  # type: ignore[index]
    head = boto3.client("s3").head_object(Bucket=STAGING, Key=staged.key)
    assert head["ContentLength"] == staged.size


def test_a_staging_clip_whose_file_is_not_there_yet_reads_rendering(api: Api, clips: str) -> None:
    # Given a clip recorded as staging whose upload has not ended (its file not in staging yet)
    accepted = api.call("POST", "/v1/renders", {"templateId": "teaser", "response": {"format": "mp4"}})[1]
    render = api.store.get_render(accepted["id"])[0]  # type: ignore[index]
    api.store.put_render(render.model_copy(update={"state": "staging"}))
    # Then a status read says rendering, and leaves it staging
    assert api.call("GET", f"/v1/renders/{accepted['id']}")[1]["status"] == "rendering"
    assert api.store.get_render(accepted["id"])[0].state == "staging"  # type: ignore[index]


def test_a_clip_still_rendering_is_no_copy_source_yet(api: Api, clips: str) -> None:
    # Its file is planned (it has a UUID) but not staged: Uploadcare's remote copy is told to come back
    accepted = api.call("POST", "/v1/renders", {"templateId": "teaser", "response": {"format": "mp4"}})[1]
    [planned] = api.store.get_render(accepted["id"])[0].files  # type: ignore[index]
    body = {"source": planned.uuid, "target": "anywhere"}
    status, answer = api.call("POST", "/v1/files/remote_copy", body)
    assert status == 400 and "clip is rendering" in answer["error"]["message"], answer


def test_a_clip_whose_template_went_away_is_recorded_failed(api: Api, clips: str) -> None:
    status, accepted = api.call("POST", "/v1/renders", {"templateId": "teaser", "response": {"format": "gif"}})
    assert status == 200 and accepted["status"] == "rendering"
    assert api.call("DELETE", "/v1/templates/teaser")[0] == 204

    assert _run(_job_event(clips)) == {"batchItemFailures": []}  # nothing to retry: drawing cannot succeed

    done = api.call("GET", f"/v1/renders/{accepted['id']}")[1]
    assert done["status"] == "failed" and done["data"] is None
    assert "template was deleted" in done["warnings"][-1]["title"]


def test_a_job_that_cannot_be_read_is_the_batch_items_failure() -> None:
    import video_handler

    event = copy.deepcopy(load_event("video.sqs.clip-job.json"))
    event["Records"][0]["body"] = "not json"
    answer = video_handler.lambda_handler(event, FakeContext("VideoFunction", 900))
    assert answer == {"batchItemFailures": [{"itemIdentifier": event["Records"][0]["messageId"]}]}


def test_clips_are_refused_where_no_queue_is_configured(api: Api) -> None:
    assert api.call("PUT", "/v1/templates/teaser", TEASER)[0] == 200
    status, answer = api.call("POST", "/v1/renders", {"templateId": "teaser", "response": {"format": "mp4"}})
    assert status == 503 and "not rendered on this deployment" in answer["error"]["message"]
