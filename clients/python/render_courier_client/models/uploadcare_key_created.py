from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="UploadcareKeyCreated")


@_attrs_define
class UploadcareKeyCreated:
    """A new key pair. The secret key is answered this once: it cannot be shown again.

    Attributes:
        public_key (str): Uploadcare's `public_key` (UPLOADCARE_PUBLIC_KEY)
        secret_key (str): Uploadcare's `secret_key` (UPLOADCARE_SECRET_KEY): shown once
    """

    public_key: str
    secret_key: str

    def to_dict(self) -> dict[str, Any]:
        public_key = self.public_key

        secret_key = self.secret_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "publicKey": public_key,
                "secretKey": secret_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        public_key = d.pop("publicKey")

        secret_key = d.pop("secretKey")

        uploadcare_key_created = cls(
            public_key=public_key,
            secret_key=secret_key,
        )

        return uploadcare_key_created
