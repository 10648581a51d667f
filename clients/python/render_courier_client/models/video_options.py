from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from typing import Literal


T = TypeVar("T", bound="VideoOptions")


@_attrs_define
class VideoOptions:
    """Orshot's ``videoOptions``, for clips (mp4, webm, animated gif and webp; stills ignore them): which seconds of
    the animation (``trimStart``–``trimEnd``, or the first ``duration``), the frame rate, a 1–100 quality, whether an
    animated GIF/WebP loops; ``muted`` is always true (a rendered clip has no audio track).

        Attributes:
            trim_start (float | None | Unset):
            trim_end (float | None | Unset):
            duration (float | None | Unset):
            fps (int | None | Unset):
            quality (int | None | Unset):
            muted (Literal[True] | None | Unset): true or absent: a rendered clip has no audio track (false is a 422)
            loop (bool | None | Unset):
    """

    trim_start: float | None | Unset = UNSET
    trim_end: float | None | Unset = UNSET
    duration: float | None | Unset = UNSET
    fps: int | None | Unset = UNSET
    quality: int | None | Unset = UNSET
    muted: Literal[True] | None | Unset = UNSET
    loop: bool | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        trim_start: float | None | Unset
        if isinstance(self.trim_start, Unset):
            trim_start = UNSET
        else:
            trim_start = self.trim_start

        trim_end: float | None | Unset
        if isinstance(self.trim_end, Unset):
            trim_end = UNSET
        else:
            trim_end = self.trim_end

        duration: float | None | Unset
        if isinstance(self.duration, Unset):
            duration = UNSET
        else:
            duration = self.duration

        fps: int | None | Unset
        if isinstance(self.fps, Unset):
            fps = UNSET
        else:
            fps = self.fps

        quality: int | None | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        else:
            quality = self.quality

        muted: Literal[True] | None | Unset
        if isinstance(self.muted, Unset):
            muted = UNSET
        else:
            muted = self.muted

        loop: bool | None | Unset
        if isinstance(self.loop, Unset):
            loop = UNSET
        else:
            loop = self.loop

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if trim_start is not UNSET:
            field_dict["trimStart"] = trim_start
        if trim_end is not UNSET:
            field_dict["trimEnd"] = trim_end
        if duration is not UNSET:
            field_dict["duration"] = duration
        if fps is not UNSET:
            field_dict["fps"] = fps
        if quality is not UNSET:
            field_dict["quality"] = quality
        if muted is not UNSET:
            field_dict["muted"] = muted
        if loop is not UNSET:
            field_dict["loop"] = loop

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_trim_start(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        trim_start = _parse_trim_start(d.pop("trimStart", UNSET))

        def _parse_trim_end(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        trim_end = _parse_trim_end(d.pop("trimEnd", UNSET))

        def _parse_duration(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        duration = _parse_duration(d.pop("duration", UNSET))

        def _parse_fps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        fps = _parse_fps(d.pop("fps", UNSET))

        def _parse_quality(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        def _parse_muted(data: object) -> Literal[True] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            muted_type_0 = cast(Literal[True], data)
            if not muted_type_0:
                raise ValueError(f"muted_type_0 must match const True, got '{muted_type_0}'")
            return muted_type_0
            return cast(Literal[True] | None | Unset, data)

        muted = _parse_muted(d.pop("muted", UNSET))

        def _parse_loop(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        loop = _parse_loop(d.pop("loop", UNSET))

        video_options = cls(
            trim_start=trim_start,
            trim_end=trim_end,
            duration=duration,
            fps=fps,
            quality=quality,
            muted=muted,
            loop=loop,
        )

        return video_options
