from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.connection_status_provider import ConnectionStatusProvider
from ..models.connection_status_status import ConnectionStatusStatus
from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.file_delivery import FileDelivery
    from ..models.page_path import PagePath


T = TypeVar("T", bound="ConnectionStatus")


@_attrs_define
class ConnectionStatus:
    """
    Attributes:
        provider (ConnectionStatusProvider):
        path (list[PagePath] | None | str):
        status (ConnectionStatusStatus):
        type_ (Literal['storage'] | Unset):  Default: 'storage'.
        storage (None | str | Unset):
        error (None | str | Unset):
        files (list[FileDelivery] | Unset):
    """

    provider: ConnectionStatusProvider
    path: list[PagePath] | None | str
    status: ConnectionStatusStatus
    type_: Literal["storage"] | Unset = "storage"
    storage: None | str | Unset = UNSET
    error: None | str | Unset = UNSET
    files: list[FileDelivery] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.file_delivery import FileDelivery  # noqa: PLC0415
        from ..models.page_path import PagePath  # noqa: PLC0415

        provider = self.provider.value

        path: list[dict[str, Any]] | None | str
        if isinstance(self.path, list):
            path = []
            for path_type_1_item_data in self.path:
                path_type_1_item = path_type_1_item_data.to_dict()
                path.append(path_type_1_item)

        else:
            path = self.path

        status = self.status.value

        type_ = self.type_

        storage: None | str | Unset
        if isinstance(self.storage, Unset):
            storage = UNSET
        else:
            storage = self.storage

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        files: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.files, Unset):
            files = []
            for files_item_data in self.files:
                files_item = files_item_data.to_dict()
                files.append(files_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "provider": provider,
                "path": path,
                "status": status,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if storage is not UNSET:
            field_dict["storage"] = storage
        if error is not UNSET:
            field_dict["error"] = error
        if files is not UNSET:
            field_dict["files"] = files

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.file_delivery import FileDelivery  # noqa: PLC0415
        from ..models.page_path import PagePath  # noqa: PLC0415

        d = dict(src_dict)
        provider = ConnectionStatusProvider(d.pop("provider"))

        def _parse_path(data: object) -> list[PagePath] | None | str:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                path_type_1 = []
                _path_type_1 = data
                for path_type_1_item_data in _path_type_1:
                    path_type_1_item = PagePath.from_dict(path_type_1_item_data)

                    path_type_1.append(path_type_1_item)

                return path_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PagePath] | None | str, data)

        path = _parse_path(d.pop("path"))

        status = ConnectionStatusStatus(d.pop("status"))

        type_ = cast(Literal["storage"] | Unset, d.pop("type", UNSET))
        if type_ != "storage" and not isinstance(type_, Unset):
            raise ValueError(f"type must match const 'storage', got '{type_}'")

        def _parse_storage(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        storage = _parse_storage(d.pop("storage", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _files = d.pop("files", UNSET)
        files: list[FileDelivery] | Unset = UNSET
        if _files is not UNSET:
            files = []
            for files_item_data in _files:
                files_item = FileDelivery.from_dict(files_item_data)

                files.append(files_item)

        connection_status = cls(
            provider=provider,
            path=path,
            status=status,
            type_=type_,
            storage=storage,
            error=error,
            files=files,
        )

        return connection_status
