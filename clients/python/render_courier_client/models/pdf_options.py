from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.pdf_options_color_mode_type_0 import PdfOptionsColorModeType0
from typing import cast


T = TypeVar("T", bound="PdfOptions")


@_attrs_define
class PdfOptions:
    """Orshot's ``pdfOptions``: page margins (CSS-like lengths), a page range, raster resolution, colour model.

    Attributes:
        margin (None | str | Unset):
        range_from (int | None | Unset):
        range_to (int | None | Unset):
        dpi (int | None | Unset):
        color_mode (None | PdfOptionsColorModeType0 | Unset):
    """

    margin: None | str | Unset = UNSET
    range_from: int | None | Unset = UNSET
    range_to: int | None | Unset = UNSET
    dpi: int | None | Unset = UNSET
    color_mode: None | PdfOptionsColorModeType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        margin: None | str | Unset
        if isinstance(self.margin, Unset):
            margin = UNSET
        else:
            margin = self.margin

        range_from: int | None | Unset
        if isinstance(self.range_from, Unset):
            range_from = UNSET
        else:
            range_from = self.range_from

        range_to: int | None | Unset
        if isinstance(self.range_to, Unset):
            range_to = UNSET
        else:
            range_to = self.range_to

        dpi: int | None | Unset
        if isinstance(self.dpi, Unset):
            dpi = UNSET
        else:
            dpi = self.dpi

        color_mode: None | str | Unset
        if isinstance(self.color_mode, Unset):
            color_mode = UNSET
        elif isinstance(self.color_mode, PdfOptionsColorModeType0):
            color_mode = self.color_mode.value
        else:
            color_mode = self.color_mode

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if margin is not UNSET:
            field_dict["margin"] = margin
        if range_from is not UNSET:
            field_dict["rangeFrom"] = range_from
        if range_to is not UNSET:
            field_dict["rangeTo"] = range_to
        if dpi is not UNSET:
            field_dict["dpi"] = dpi
        if color_mode is not UNSET:
            field_dict["colorMode"] = color_mode

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_margin(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        margin = _parse_margin(d.pop("margin", UNSET))

        def _parse_range_from(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        range_from = _parse_range_from(d.pop("rangeFrom", UNSET))

        def _parse_range_to(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        range_to = _parse_range_to(d.pop("rangeTo", UNSET))

        def _parse_dpi(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        dpi = _parse_dpi(d.pop("dpi", UNSET))

        def _parse_color_mode(data: object) -> None | PdfOptionsColorModeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                color_mode_type_0 = PdfOptionsColorModeType0(data)

                return color_mode_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PdfOptionsColorModeType0 | Unset, data)

        color_mode = _parse_color_mode(d.pop("colorMode", UNSET))

        pdf_options = cls(
            margin=margin,
            range_from=range_from,
            range_to=range_to,
            dpi=dpi,
            color_mode=color_mode,
        )

        return pdf_options
