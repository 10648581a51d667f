from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.share_keyframe_easing import ShareKeyframeEasing


T = TypeVar("T", bound="ShareKeyframe")


@_attrs_define
class ShareKeyframe:
    """
    Attributes:
        time (float):
        value (float):
        easing (ShareKeyframeEasing | Unset):  Default: ShareKeyframeEasing.LINEAR.
    """

    time: float
    value: float
    easing: ShareKeyframeEasing | Unset = ShareKeyframeEasing.LINEAR

    def to_dict(self) -> dict[str, Any]:
        time = self.time

        value = self.value

        easing: str | Unset = UNSET
        if not isinstance(self.easing, Unset):
            easing = self.easing.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "time": time,
                "value": value,
            }
        )
        if easing is not UNSET:
            field_dict["easing"] = easing

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        time = d.pop("time")

        value = d.pop("value")

        _easing = d.pop("easing", UNSET)
        easing: ShareKeyframeEasing | Unset
        if isinstance(_easing, Unset):
            easing = UNSET
        else:
            easing = ShareKeyframeEasing(_easing)

        share_keyframe = cls(
            time=time,
            value=value,
            easing=easing,
        )

        return share_keyframe
