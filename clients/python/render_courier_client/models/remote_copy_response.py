from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.remote_copy_response_status_type_0 import RemoteCopyResponseStatusType0
from typing import cast
from typing import Literal


T = TypeVar("T", bound="RemoteCopyResponse")


@_attrs_define
class RemoteCopyResponse:
    """
    Attributes:
        result (str): where the file is: s3://bucket/key, r2://bucket/key or dropbox://path
        type_ (Literal['url'] | Unset):  Default: 'url'.
        status (None | RemoteCopyResponseStatusType0 | Unset):
        render_id (None | str | Unset):
    """

    result: str
    type_: Literal["url"] | Unset = "url"
    status: None | RemoteCopyResponseStatusType0 | Unset = UNSET
    render_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        result = self.result

        type_ = self.type_

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        elif isinstance(self.status, RemoteCopyResponseStatusType0):
            status = self.status.value
        else:
            status = self.status

        render_id: None | str | Unset
        if isinstance(self.render_id, Unset):
            render_id = UNSET
        else:
            render_id = self.render_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "result": result,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if status is not UNSET:
            field_dict["status"] = status
        if render_id is not UNSET:
            field_dict["renderId"] = render_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        result = d.pop("result")

        type_ = cast(Literal["url"] | Unset, d.pop("type", UNSET))
        if type_ != "url" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'url', got '{type_}'")

        def _parse_status(data: object) -> None | RemoteCopyResponseStatusType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                status_type_0 = RemoteCopyResponseStatusType0(data)

                return status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RemoteCopyResponseStatusType0 | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_render_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        render_id = _parse_render_id(d.pop("renderId", UNSET))

        remote_copy_response = cls(
            result=result,
            type_=type_,
            status=status,
            render_id=render_id,
        )

        return remote_copy_response
