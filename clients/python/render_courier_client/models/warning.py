from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="Warning_")


@_attrs_define
class Warning_:
    """
    Attributes:
        title (str):
        details (str | Unset):  Default: ''.
    """

    title: str
    details: str | Unset = ""

    def to_dict(self) -> dict[str, Any]:
        title = self.title

        details = self.details

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "title": title,
            }
        )
        if details is not UNSET:
            field_dict["details"] = details

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        title = d.pop("title")

        details = d.pop("details", UNSET)

        warning = cls(
            title=title,
            details=details,
        )

        return warning
