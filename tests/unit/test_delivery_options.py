"""Object options as delivered: the target's options become the adapter's, a bare Content-Disposition gets the
file's name (RFC 6266 / RFC 8187)."""

from __future__ import annotations

import pytest

from courier.delivery.options import content_disposition, delivery_options
from courier.models import ObjectOptions
from courier.records import DeliveryTarget


@pytest.mark.parametrize(
    ("given", "name", "expected"),
    [
        ("attachment", "card.png", "attachment; filename=\"card.png\"; filename*=UTF-8''card.png"),
        ("INLINE", "Café Menü.png", "inline; filename=\"Caf_ Men_.png\"; filename*=UTF-8''Caf%C3%A9%20Men%C3%BC.png"),
        ("attachment", 'a"b\\c.png', "attachment; filename=\"a_b_c.png\"; filename*=UTF-8''a%22b%5Cc.png"),
        ('attachment; filename="mine.png"', "card.png", 'attachment; filename="mine.png"'),
        (None, "card.png", None),
    ],
)
def test_bare_disposition_gets_the_file_name(given: str | None, name: str, expected: str | None) -> None:
    assert content_disposition(given, name) == expected


def test_target_options_become_adapter_options() -> None:
    options = ObjectOptions(
        content_disposition="attachment",
        cache_control="max-age=60",
        metadata={"a": "b"},
        tags={"t": "v"},
        storage_class="STANDARD_IA",
        sse="aws:kms",
        kms_key_id="alias/renders",
        if_exists="skip",
        make_public=True,
    )
    target = DeliveryTarget(provider="s3", bucket="b", auth_type="policy", options=options)
    delivered = delivery_options(target, "image/webp", "renders/x/banner.webp")
    assert delivered.content_type == "image/webp"
    assert delivered.content_disposition is not None and 'filename="banner.webp"' in delivered.content_disposition
    assert (delivered.cache_control, delivered.metadata, delivered.tags) == ("max-age=60", {"a": "b"}, {"t": "v"})
    assert (delivered.storage_class, delivered.sse, delivered.sse_kms_key_id) == (
        "STANDARD_IA",
        "aws:kms",
        "alias/renders",
    )
    assert delivered.if_exists == "skip" and delivered.make_public
    plain = delivery_options(DeliveryTarget(provider="s3", bucket="b", auth_type="policy"), "image/png")
    assert (plain.if_exists, plain.make_public, plain.tags, plain.content_disposition) == ("overwrite", False, {}, None)
