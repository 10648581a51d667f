from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.render_response import RenderResponse


T = TypeVar("T", bound="RenderList")


@_attrs_define
class RenderList:
    """``GET /v1/renders``: the workspace's renders, newest first.

    Attributes:
        renders (list[RenderResponse]):
        next_cursor (None | str): pass as `cursor` for the next page; null on the last page
    """

    renders: list[RenderResponse]
    next_cursor: None | str

    def to_dict(self) -> dict[str, Any]:
        from ..models.render_response import RenderResponse  # noqa: PLC0415

        renders = []
        for renders_item_data in self.renders:
            renders_item = renders_item_data.to_dict()
            renders.append(renders_item)

        next_cursor: None | str
        next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "renders": renders,
                "nextCursor": next_cursor,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.render_response import RenderResponse  # noqa: PLC0415

        d = dict(src_dict)
        renders = []
        _renders = d.pop("renders")
        for renders_item_data in _renders:
            renders_item = RenderResponse.from_dict(renders_item_data)

            renders.append(renders_item)

        def _parse_next_cursor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        next_cursor = _parse_next_cursor(d.pop("nextCursor"))

        render_list = cls(
            renders=renders,
            next_cursor=next_cursor,
        )

        return render_list
