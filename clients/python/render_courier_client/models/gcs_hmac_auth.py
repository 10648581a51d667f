from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import Literal, cast


T = TypeVar("T", bound="GcsHmacAuth")


@_attrs_define
class GcsHmacAuth:
    """
    Attributes:
        type_ (Literal['hmac']):
        access_key_id (str):
        secret_access_key (str):
    """

    type_: Literal["hmac"]
    access_key_id: str
    secret_access_key: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        access_key_id = self.access_key_id

        secret_access_key = self.secret_access_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "accessKeyId": access_key_id,
                "secretAccessKey": secret_access_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["hmac"], d.pop("type"))
        if type_ != "hmac":
            raise ValueError(f"type must match const 'hmac', got '{type_}'")

        access_key_id = d.pop("accessKeyId")

        secret_access_key = d.pop("secretAccessKey")

        gcs_hmac_auth = cls(
            type_=type_,
            access_key_id=access_key_id,
            secret_access_key=secret_access_key,
        )

        return gcs_hmac_auth
