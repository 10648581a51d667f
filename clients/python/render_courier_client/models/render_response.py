from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from ..models.render_response_status import RenderResponseStatus
from typing import cast

if TYPE_CHECKING:
    from ..models.connection_status import ConnectionStatus
    from ..models.render_data import RenderData
    from ..models.warning import Warning_
    from ..models.webhook_status import WebhookStatus


T = TypeVar("T", bound="RenderResponse")


@_attrs_define
class RenderResponse:
    """
    Attributes:
        id (str):
        status (RenderResponseStatus):
        data (RenderData):
        connections (list[ConnectionStatus]):
        warnings (list[Warning_]):
        webhook (None | Unset | WebhookStatus):
    """

    id: str
    status: RenderResponseStatus
    data: RenderData
    connections: list[ConnectionStatus]
    warnings: list[Warning_]
    webhook: None | Unset | WebhookStatus = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_status import ConnectionStatus  # noqa: PLC0415
        from ..models.render_data import RenderData  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415
        from ..models.webhook_status import WebhookStatus  # noqa: PLC0415

        id = self.id

        status = self.status.value

        data = self.data.to_dict()

        connections = []
        for connections_item_data in self.connections:
            connections_item = connections_item_data.to_dict()
            connections.append(connections_item)

        warnings = []
        for warnings_item_data in self.warnings:
            warnings_item = warnings_item_data.to_dict()
            warnings.append(warnings_item)

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
        if webhook is not UNSET:
            field_dict["webhook"] = webhook

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_status import ConnectionStatus  # noqa: PLC0415
        from ..models.render_data import RenderData  # noqa: PLC0415
        from ..models.warning import Warning_  # noqa: PLC0415
        from ..models.webhook_status import WebhookStatus  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = RenderResponseStatus(d.pop("status"))

        data = RenderData.from_dict(d.pop("data"))

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
            webhook=webhook,
        )

        return render_response
