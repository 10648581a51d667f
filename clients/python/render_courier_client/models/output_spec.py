from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.output_spec_pdf import OutputSpecPdf


T = TypeVar("T", bound="OutputSpec")


@_attrs_define
class OutputSpec:
    """
    Attributes:
        pdf (OutputSpecPdf | Unset):  Default: OutputSpecPdf.SINGLE.
    """

    pdf: OutputSpecPdf | Unset = OutputSpecPdf.SINGLE

    def to_dict(self) -> dict[str, Any]:
        pdf: str | Unset = UNSET
        if not isinstance(self.pdf, Unset):
            pdf = self.pdf.value

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if pdf is not UNSET:
            field_dict["pdf"] = pdf

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        _pdf = d.pop("pdf", UNSET)
        pdf: OutputSpecPdf | Unset
        if isinstance(_pdf, Unset):
            pdf = UNSET
        else:
            pdf = OutputSpecPdf(_pdf)

        output_spec = cls(
            pdf=pdf,
        )

        return output_spec
