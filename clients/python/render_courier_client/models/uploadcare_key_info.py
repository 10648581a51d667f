from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
import datetime


T = TypeVar("T", bound="UploadcareKeyInfo")


@_attrs_define
class UploadcareKeyInfo:
    """
    Attributes:
        public_key (str):
        created_at (datetime.datetime):
    """

    public_key: str
    created_at: datetime.datetime

    def to_dict(self) -> dict[str, Any]:
        public_key = self.public_key

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "publicKey": public_key,
                "createdAt": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        public_key = d.pop("publicKey")

        created_at = datetime.datetime.fromisoformat(d.pop("createdAt"))

        uploadcare_key_info = cls(
            public_key=public_key,
            created_at=created_at,
        )

        return uploadcare_key_info
