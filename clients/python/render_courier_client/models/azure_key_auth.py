from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import Literal, cast


T = TypeVar("T", bound="AzureKeyAuth")


@_attrs_define
class AzureKeyAuth:
    """
    Attributes:
        type_ (Literal['key']):
        account_name (str):
        account_key (str):
    """

    type_: Literal["key"]
    account_name: str
    account_key: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        account_name = self.account_name

        account_key = self.account_key

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "accountName": account_name,
                "accountKey": account_key,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["key"], d.pop("type"))
        if type_ != "key":
            raise ValueError(f"type must match const 'key', got '{type_}'")

        account_name = d.pop("accountName")

        account_key = d.pop("accountKey")

        azure_key_auth = cls(
            type_=type_,
            account_name=account_name,
            account_key=account_key,
        )

        return azure_key_auth
