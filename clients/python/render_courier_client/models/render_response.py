from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.render_response_format_type_0 import RenderResponseFormatType0
from ..models.render_response_status import RenderResponseStatus
from ..models.render_response_type_type_0 import RenderResponseTypeType0
from typing import cast

if TYPE_CHECKING:
    from ..models.connection_status import ConnectionStatus
    from ..models.page_content import PageContent
    from ..models.render_data import RenderData
    from ..models.warning import Warning_
    from ..models.webhook_status import WebhookStatus


T = TypeVar("T", bound="RenderResponse")


@_attrs_define
class RenderResponse:
    """One page: ``data`` is the file. Several: ``data`` lists them, and ``format``, ``type``, ``responseTime``,
    ``totalPages`` and ``renderedPages`` stand beside it (API.md, as Orshot answers).

        Attributes:
            id (str):
            status (RenderResponseStatus):
            data (list[PageContent] | None | RenderData):
            connections (list[ConnectionStatus]):
            warnings (list[Warning_]):
            format_ (None | RenderResponseFormatType0 | Unset):
            type_ (None | RenderResponseTypeType0 | Unset):
            response_time (None | str | Unset):
            total_pages (int | None | Unset):
            rendered_pages (int | None | Unset):
            webhook (None | Unset | WebhookStatus):
    """

    id: str
    status: RenderResponseStatus
    data: list[PageContent] | None | RenderData
    connections: list[ConnectionStatus]
    warnings: list[Warning_]
    format_: None | RenderResponseFormatType0 | Unset = UNSET
    type_: None | RenderResponseTypeType0 | Unset = UNSET
    response_time: None | str | Unset = UNSET
    total_pages: int | None | Unset = UNSET
    rendered_pages: int | None | Unset = UNSET
    webhook: None | Unset | WebhookStatus = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_status import ConnectionStatus  # noqa: PLC0415
        from ..models.page_content import PageContent  # noqa: PLC0415
        from ..models.render_data import RenderData  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415
        from ..models.webhook_status import WebhookStatus  # noqa: PLC0415

        id = self.id

        status = self.status.value

        data: dict[str, Any] | list[dict[str, Any]] | None
        if isinstance(self.data, RenderData):
            data = self.data.to_dict()
        elif isinstance(self.data, list):
            data = []
            for data_type_1_item_data in self.data:
                data_type_1_item = data_type_1_item_data.to_dict()
                data.append(data_type_1_item)

        else:
            data = self.data

        connections = []
        for connections_item_data in self.connections:
            connections_item = connections_item_data.to_dict()
            connections.append(connections_item)

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

        format_: None | str | Unset
        if isinstance(self.format_, Unset):
            format_ = UNSET
        elif isinstance(self.format_, RenderResponseFormatType0):
            format_ = self.format_.value
        else:
            format_ = self.format_

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        elif isinstance(self.type_, RenderResponseTypeType0):
            type_ = self.type_.value
        else:
            type_ = self.type_

        response_time: None | str | Unset
        if isinstance(self.response_time, Unset):
            response_time = UNSET
        else:
            response_time = self.response_time

        total_pages: int | None | Unset
        if isinstance(self.total_pages, Unset):
            total_pages = UNSET
        else:
            total_pages = self.total_pages

        rendered_pages: int | None | Unset
        if isinstance(self.rendered_pages, Unset):
            rendered_pages = UNSET
        else:
            rendered_pages = self.rendered_pages

        webhook: dict[str, Any] | None | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        elif isinstance(self.webhook, WebhookStatus):
            webhook = self.webhook.to_dict()
        else:
            webhook = self.webhook

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "status": status,
                "data": data,
                "connections": connections,
                "warnings": warnings,
            }
        )
        if format_ is not UNSET:
            field_dict["format"] = format_
        if type_ is not UNSET:
            field_dict["type"] = type_
        if response_time is not UNSET:
            field_dict["responseTime"] = response_time
        if total_pages is not UNSET:
            field_dict["totalPages"] = total_pages
        if rendered_pages is not UNSET:
            field_dict["renderedPages"] = rendered_pages
        if webhook is not UNSET:
            field_dict["webhook"] = webhook

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_status import ConnectionStatus  # noqa: PLC0415
        from ..models.page_content import PageContent  # noqa: PLC0415
        from ..models.render_data import RenderData  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415
        from ..models.webhook_status import WebhookStatus  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = RenderResponseStatus(d.pop("status"))

        def _parse_data(data: object) -> list[PageContent] | None | RenderData:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                data_type_0 = RenderData.from_dict(data)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, list):
                    raise TypeError()
                data_type_1 = []
                _data_type_1 = data
                for data_type_1_item_data in _data_type_1:
                    data_type_1_item = PageContent.from_dict(data_type_1_item_data)

                    data_type_1.append(data_type_1_item)

                return data_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[PageContent] | None | RenderData, data)

        data = _parse_data(d.pop("data"))

        connections = []
        _connections = d.pop("connections")
        for connections_item_data in _connections:
            connections_item = ConnectionStatus.from_dict(connections_item_data)

            connections.append(connections_item)

        warnings = []
        _warnings = d.pop("warnings")
        for warnings_item_data in _warnings:
            warnings_item = Warning_.from_dict(warnings_item_data)

            warnings.append(warnings_item)

        def _parse_format_(data: object) -> None | RenderResponseFormatType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                format_type_0 = RenderResponseFormatType0(data)

                return format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RenderResponseFormatType0 | Unset, data)

        format_ = _parse_format_(d.pop("format", UNSET))

        def _parse_type_(data: object) -> None | RenderResponseTypeType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                type_type_0 = RenderResponseTypeType0(data)

                return type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RenderResponseTypeType0 | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_response_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        response_time = _parse_response_time(d.pop("responseTime", UNSET))

        def _parse_total_pages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        total_pages = _parse_total_pages(d.pop("totalPages", UNSET))

        def _parse_rendered_pages(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        rendered_pages = _parse_rendered_pages(d.pop("renderedPages", UNSET))

        def _parse_webhook(data: object) -> None | Unset | WebhookStatus:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                webhook_type_0 = WebhookStatus.from_dict(data)

                return webhook_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookStatus, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        render_response = cls(
            id=id,
            status=status,
            data=data,
            connections=connections,
            warnings=warnings,
            format_=format_,
            type_=type_,
            response_time=response_time,
            total_pages=total_pages,
            rendered_pages=rendered_pages,
            webhook=webhook,
        )

        return render_response
