from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="RemoteCopyRequest")


@_attrs_define
class RemoteCopyRequest:
    """``POST /v1/files/remote_copy``: copy a rendered file (still in staging) to a storage.

    Attributes:
        source (str): the file's UUID, or its content URL (the render's `url`)
        target (str): the name of one of the workspace's storages
        pattern (str | Unset): the object name under the storage's folder Default: '${default}'.
        make_public (bool | Unset): a public-read object, where supported Default: False.
    """

    source: str
    target: str
    pattern: str | Unset = "${default}"
    make_public: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        source = self.source

        target = self.target

        pattern = self.pattern

        make_public = self.make_public

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "source": source,
                "target": target,
            }
        )
        if pattern is not UNSET:
            field_dict["pattern"] = pattern
        if make_public is not UNSET:
            field_dict["make_public"] = make_public

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        source = d.pop("source")

        target = d.pop("target")

        pattern = d.pop("pattern", UNSET)

        make_public = d.pop("make_public", UNSET)

        remote_copy_request = cls(
            source=source,
            target=target,
            pattern=pattern,
            make_public=make_public,
        )

        return remote_copy_request
