"""The end of a clip's ``staging`` state.

The video function records a clip's files (sizes, checksums) as ``staging`` and then uploads them. The state normally
ends in the deliver function: each file's S3 event notes the file (``Store.file_staged``) and the last one clears it.
An S3 event can be lost, though (Lambda's asynchronous queue drops what it cannot deliver in time): where the service
recovers from that — the delivery and webhook reconcilers — and where a client looks — a status read, ``wait`` —
the files themselves are looked at instead, so a clip whose files are all there never stays ``rendering``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from courier.persistence.store import Store
    from courier.records import RenderRecord
    from courier.renders.staging import StagingBucket


def settle_staging(store: Store, staging: StagingBucket, render: RenderRecord) -> RenderRecord:
    """The render as it now is: with its ``staging`` state ended when every one of its files is in staging (noted as
    their events would have), else as given. One HEAD per file, only while the clip is staging."""
    if render.state != "staging" or any(staging.head(staged.key) is None for staged in render.files):
        return render
    settled = render
    for staged in render.files:
        noted = store.file_staged(render.id, staged.uuid)
        if noted is None:  # not staging any more: the events (or another reader) got there first
            found = store.get_render(render.id)
            return found[0] if found is not None else render
        settled = noted
    return settled  # the last file noted ended the state
