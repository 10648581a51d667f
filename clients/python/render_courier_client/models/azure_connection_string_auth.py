from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import Literal, cast


T = TypeVar("T", bound="AzureConnectionStringAuth")


@_attrs_define
class AzureConnectionStringAuth:
    """
    Attributes:
        type_ (Literal['connectionString']):
        connection_string (str):
    """

    type_: Literal["connectionString"]
    connection_string: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        connection_string = self.connection_string

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "connectionString": connection_string,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["connectionString"], d.pop("type"))
        if type_ != "connectionString":
            raise ValueError(f"type must match const 'connectionString', got '{type_}'")

        connection_string = d.pop("connectionString")

        azure_connection_string_auth = cls(
            type_=type_,
            connection_string=connection_string,
        )

        return azure_connection_string_auth
