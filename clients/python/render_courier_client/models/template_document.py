from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.output_spec import OutputSpec
    from ..models.page import Page


T = TypeVar("T", bound="TemplateDocument")


@_attrs_define
class TemplateDocument:
    """
    Attributes:
        id (str):
        name (str):
        pages (list[Page]):
        output (None | OutputSpec | Unset):
    """

    id: str
    name: str
    pages: list[Page]
    output: None | OutputSpec | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.output_spec import OutputSpec  # noqa: PLC0415
        from ..models.page import Page  # noqa: PLC0415

        id = self.id

        name = self.name

        pages = []
        for pages_item_data in self.pages:
            pages_item = pages_item_data.to_dict()
            pages.append(pages_item)

        output: dict[str, Any] | None | Unset
        if isinstance(self.output, Unset):
            output = UNSET
        elif isinstance(self.output, OutputSpec):
            output = self.output.to_dict()
        else:
            output = self.output

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "pages": pages,
            }
        )
        if output is not UNSET:
            field_dict["output"] = output

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.output_spec import OutputSpec  # noqa: PLC0415
        from ..models.page import Page  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        pages = []
        _pages = d.pop("pages")
        for pages_item_data in _pages:
            pages_item = Page.from_dict(pages_item_data)

            pages.append(pages_item)

        def _parse_output(data: object) -> None | OutputSpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                output_type_0 = OutputSpec.from_dict(data)

                return output_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutputSpec | Unset, data)

        output = _parse_output(d.pop("output", UNSET))

        template_document = cls(
            id=id,
            name=name,
            pages=pages,
            output=output,
        )

        return template_document
