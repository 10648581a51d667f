from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import Literal, cast


T = TypeVar("T", bound="RoleAuth")


@_attrs_define
class RoleAuth:
    """We assume this role with the workspace's ExternalId (returned by the API; the customer never chooses it).

    Attributes:
        type_ (Literal['role']):
        role_arn (str):
    """

    type_: Literal["role"]
    role_arn: str

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        role_arn = self.role_arn

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "roleArn": role_arn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["role"], d.pop("type"))
        if type_ != "role":
            raise ValueError(f"type must match const 'role', got '{type_}'")

        role_arn = d.pop("roleArn")

        role_auth = cls(
            type_=type_,
            role_arn=role_arn,
        )

        return role_auth
