from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import Literal, cast


T = TypeVar("T", bound="AzureSasAuth")


@_attrs_define
class AzureSasAuth:
    """A SAS token (account or container SAS) allowing create, write, read and delete: the probe does all four.

    Attributes:
        type_ (Literal['sas']):
        account_name (str):
        sas_token (str):
    """

    type_: Literal["sas"]
    account_name: str
    sas_token: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        account_name = self.account_name

        sas_token = self.sas_token

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "accountName": account_name,
                "sasToken": sas_token,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["sas"], d.pop("type"))
        if type_ != "sas":
            raise ValueError(f"type must match const 'sas', got '{type_}'")

        account_name = d.pop("accountName")

        sas_token = d.pop("sasToken")

        azure_sas_auth = cls(
            type_=type_,
            account_name=account_name,
            sas_token=sas_token,
        )

        return azure_sas_auth
