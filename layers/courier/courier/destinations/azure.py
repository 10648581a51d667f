"""Azure Blob Storage destination: streams a staged file into a container as a block blob.

Files up to ``single_put_max`` (one block, 4 MiB) go in one Put Blob, read and verified before it is sent, with a
transactional MD5 the service checks and keeps as the blob's Content-MD5. Larger files are staged block by block
(Put Block, ``concurrency`` in flight) and become visible only when the block list is committed: a source that is
short, corrupt or fails halfway raises before the commit, so no partial blob appears (the uncommitted blocks are
invisible and dropped by the service within a week, or by the blob's next commit). Memory stays at about
(concurrency + 2) blocks whatever the size. The commit carries the file's MD5 (x-ms-blob-content-md5), which tools
such as azcopy check on download.

``if_exists`` skip/fail are conditional writes (``If-None-Match: *`` on Put Blob and Put Block List), so there is no
race; a write token is kept in the metadata (``rendercourierwrite``) so a retry after a lost answer recognises its own
blob. Of the DeliveryOptions, tags, storage_class, sse, sse_kms_key_id, acl and make_public do not apply and are
ignored (the provider's registration refuses them before a delivery gets here). Azure metadata names must be C#
identifiers: names that are not are refused before anything is sent (``metadata_problem``), never renamed. The client
is built in azure_client.py; errors are translated in azure_errors.py.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import HttpResponseError
from azure.storage.blob import BlobBlock, BlobClient, ContainerClient, ContentSettings

from courier.destinations.azure_client import SINGLE_PUT_LIMIT
from courier.destinations.azure_errors import client_secrets, error_code, map_error, name_taken
from courier.destinations.base import (
    AlreadyExistsError,
    Delivered,
    DeliveryOptions,
    DestinationError,
    PermanentDeliveryError,
    StagedFile,
    VerifyingReader,
)

MiB = 1024 * 1024
MAX_BLOCKS = 50_000
MAX_BLOCK = 4000 * MiB
# Metadata of blobs written with if_exists skip/fail and a write token: the delivery that wrote them (Azure metadata
# names are C# identifiers, so S3's "render-courier-write" cannot be used).
OWN_MARK = "rendercourierwrite"
METADATA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_METADATA = 8 * 1024  # bytes of names and values together


def metadata_problem(metadata: Mapping[str, str]) -> str | None:
    """Why Azure would refuse these metadata, or None: names must be C# identifiers (ASCII letters, digits and _, not
    starting with a digit) and differ in more than case; values printable ASCII; all of it at most 8 KiB."""
    seen: set[str] = set()
    for name, value in metadata.items():
        if not METADATA_NAME.fullmatch(name):
            return f"the metadata name {name[:64]!r} is not valid on Azure: use letters, digits and _"
        if name.lower() in seen:
            return f"the metadata name {name[:64]!r} is given twice (Azure ignores case in names)"
        seen.add(name.lower())
        if not all(" " <= char <= "~" for char in value):
            return f"the metadata value of {name!r} is not printable ASCII"
    if sum(len(name) + len(value) for name, value in metadata.items()) > MAX_METADATA:
        return "the metadata is larger than 8 KiB"
    return None


class AzureBlobDestination:
    """One container, reached through a ContainerClient that carries its credentials. Keys are blob names."""

    def __init__(
        self,
        client: ContainerClient,
        *,
        block_size: int = 4 * MiB,
        concurrency: int = 4,
        single_put_max: int = 4 * MiB,
        probe_prefix: str = "",
    ) -> None:
        if not (0 < block_size <= MAX_BLOCK and 0 <= single_put_max <= SINGLE_PUT_LIMIT and concurrency >= 1):
            raise ValueError("need 0 < block_size <= 4000 MiB, 0 <= single_put_max <= 64 MiB, concurrency >= 1")
        self._client = client
        self._block_size = block_size
        self._concurrency = concurrency
        self._single_put_max = single_put_max
        self._probe_prefix = probe_prefix.strip("/")

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        problem = metadata_problem(options.metadata) or ("" if key else "the blob name is empty")
        if problem:
            raise PermanentDeliveryError(problem)
        try:
            return self._deliver(self._client.get_blob_client(key), source, options)
        except DestinationError:
            raise
        except Exception as exc:  # every SDK failure becomes one of our two error kinds
            raise self._error(exc) from exc

    def probe(self) -> None:
        """Write, read back and delete a small blob under the storage's prefix."""
        name = "/".join(p for p in (self._probe_prefix, f".render-courier-probe-{uuid.uuid4().hex}.txt") if p)
        body = b"Render Courier checks that it can deliver here; this blob is deleted at once.\n"
        blob = self._client.get_blob_client(name)
        try:
            blob.upload_blob(body, overwrite=True, content_settings=ContentSettings(content_type="text/plain"))
            try:
                read = blob.download_blob().readall()
            finally:
                blob.delete_blob()
        except Exception as exc:
            raise self._error(exc) from exc
        if read != body:
            raise PermanentDeliveryError("the storage returned different bytes than were written")

    def _error(self, exc: Exception) -> DestinationError:
        return map_error(exc, client_secrets(self._client))

    # ------------------------------------------------------------ writes

    def _deliver(self, blob: BlobClient, source: StagedFile, options: DeliveryOptions) -> Delivered:
        metadata = dict(options.metadata)
        if options.if_exists != "overwrite" and options.write_token:
            metadata[OWN_MARK] = options.write_token  # so that a retry after a lost answer recognises it
        # What the write that makes the blob visible carries; skip/fail make it conditional (If-None-Match: *).
        settings = ContentSettings(
            content_type=options.content_type,
            content_disposition=options.content_disposition,
            cache_control=options.cache_control,
        )
        write: dict[str, Any] = {"content_settings": settings, "metadata": metadata or None}
        if options.if_exists != "overwrite":
            existing = self._properties(blob)
            if existing is not None:
                return self._taken(blob, source, options, existing)
            write["match_condition"] = MatchConditions.IfMissing
        try:
            with source.open() as stream:
                reader = VerifyingReader(stream, source.size, source.checksum)
                if source.size <= self._single_put_max:
                    answer = self._put(blob, reader, source.size, write)
                else:
                    answer = self._blocks(blob, reader, source.size, write)
        except HttpResponseError as exc:
            if options.if_exists != "overwrite" and name_taken(exc):  # taken meanwhile: If-None-Match refused it
                return self._taken(blob, source, options)
            raise
        etag = str(answer.get("etag") or "").strip('"') or None
        return Delivered(location=_location(blob), size=reader.size, checksum=reader.checksum, etag=etag)

    def _put(self, blob: BlobClient, reader: VerifyingReader, size: int, write: dict[str, Any]) -> dict[str, Any]:
        """One Put Blob of a file of at most one block, read (one byte more than expected: a stream that runs long
        fails here) and verified before it is sent. Its Content-MD5 is checked by the service and kept as the blob's.
        overwrite=True only stops the SDK adding a condition of its own: ``write`` has ours."""
        data = reader.read(size + 1)
        return blob.upload_blob(data, overwrite=True, validate_content=True, **write)

    def _blocks(self, blob: BlobClient, reader: VerifyingReader, size: int, write: dict[str, Any]) -> dict[str, Any]:
        """Put Block by block, ``concurrency`` in flight, then one Put Block List. Nothing is committed unless every
        block was read, verified and stored. Block ids are new for each try, so an earlier try's blocks never mix in."""
        block_size = max(self._block_size, -(-size // MAX_BLOCKS))
        attempt = uuid.uuid4().hex
        md5 = hashlib.md5(usedforsecurity=False)
        blocks: list[BlobBlock] = []
        with ThreadPoolExecutor(max_workers=self._concurrency, thread_name_prefix="azure-block") as pool:
            pending: set[Future[Any]] = set()
            for offset in range(0, size, block_size):
                if len(pending) >= self._concurrency:  # memory: at most `concurrency` blocks sent, one being read
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        future.result()  # a failed block: raise now, nothing is committed
                data = reader.read(min(block_size, size - offset))
                md5.update(data)
                block_id = f"{attempt}-{len(blocks):05d}"  # ids of one blob must all have the same length
                blocks.append(BlobBlock(block_id=block_id))
                pending.add(pool.submit(blob.stage_block, block_id, data, length=len(data)))
            for future in wait(pending).done:
                future.result()
        write["content_settings"].content_md5 = bytearray(md5.digest())  # the whole file's, for azcopy and the like
        return dict(blob.commit_block_list(blocks, **write))

    # ------------------------------------------------------------ if_exists

    def _properties(self, blob: BlobClient) -> Any:
        """The blob's properties, None when there is no blob (a missing container is an error)."""
        try:
            return blob.get_blob_properties()
        except HttpResponseError as exc:
            if exc.status_code == 404 and error_code(exc) != "ContainerNotFound":
                return None
            raise

    def _taken(self, blob: BlobClient, source: StagedFile, options: DeliveryOptions, existing: Any = None) -> Delivered:
        """The name is taken. By an earlier try of this very delivery (same write token: its answer was lost, e.g. a
        timeout after the blob was stored), the delivery is done; by anything else, skip or fail as asked."""
        if existing is None and options.write_token:
            existing = self._properties(blob)
        if (
            options.write_token
            and existing is not None
            and (existing.metadata or {}).get(OWN_MARK) == options.write_token
            and int(existing.size) == source.size
        ):
            etag = str(existing.etag or "").strip('"') or None
            return Delivered(location=_location(blob), size=source.size, checksum=source.checksum, etag=etag)
        if options.if_exists == "fail":
            raise AlreadyExistsError(f"a blob already exists at {blob.blob_name}; nothing was written (ifExists: fail)")
        return Delivered(location=_location(blob), size=0, checksum="", already_existed=True)


def _location(blob: BlobClient) -> str:
    return f"azure://{blob.container_name}/{blob.blob_name}"
