from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.connection_spec import ConnectionSpec
    from ..models.pdf_options import PdfOptions
    from ..models.render_request_modifications import RenderRequestModifications
    from ..models.response_spec import ResponseSpec
    from ..models.video_options import VideoOptions


T = TypeVar("T", bound="RenderRequest")


@_attrs_define
class RenderRequest:
    """
    Attributes:
        template_id (str):
        source (None | str | Unset):
        pdf_options (None | PdfOptions | Unset):
        video_options (None | Unset | VideoOptions):
        publish (None | Unset): Not offered: answered 422 (400 on Orshot's routes) with the reason when given; null or
            absent only.
        modifications (RenderRequestModifications | Unset):
        response (ResponseSpec | Unset):
        connections (list[ConnectionSpec] | None | Unset):
        wait (float | Unset):  Default: 0.0.
        webhook (None | str | Unset):
    """

    template_id: str
    source: None | str | Unset = UNSET
    pdf_options: None | PdfOptions | Unset = UNSET
    video_options: None | Unset | VideoOptions = UNSET
    publish: None | Unset = UNSET
    modifications: RenderRequestModifications | Unset = UNSET
    response: ResponseSpec | Unset = UNSET
    connections: list[ConnectionSpec] | None | Unset = UNSET
    wait: float | Unset = 0.0
    webhook: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.connection_spec import ConnectionSpec  # noqa: PLC0415
        from ..models.pdf_options import PdfOptions  # noqa: PLC0415
        from ..models.render_request_modifications import RenderRequestModifications  # noqa: PLC0415
        from ..models.response_spec import ResponseSpec  # noqa: PLC0415
        from ..models.video_options import VideoOptions  # noqa: PLC0415

        template_id = self.template_id

        source: None | str | Unset
        if isinstance(self.source, Unset):
            source = UNSET
        else:
            source = self.source

        pdf_options: dict[str, Any] | None | Unset
        if isinstance(self.pdf_options, Unset):
            pdf_options = UNSET
        elif isinstance(self.pdf_options, PdfOptions):
            pdf_options = self.pdf_options.to_dict()
        else:
            pdf_options = self.pdf_options

        video_options: dict[str, Any] | None | Unset
        if isinstance(self.video_options, Unset):
            video_options = UNSET
        elif isinstance(self.video_options, VideoOptions):
            video_options = self.video_options.to_dict()
        else:
            video_options = self.video_options

        publish = self.publish

        modifications: dict[str, Any] | Unset = UNSET
        if not isinstance(self.modifications, Unset):
            modifications = self.modifications.to_dict()

        response: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response, Unset):
            response = self.response.to_dict()

        connections: list[dict[str, Any]] | None | Unset
        if isinstance(self.connections, Unset):
            connections = UNSET
        elif isinstance(self.connections, list):
            connections = []
            for connections_type_0_item_data in self.connections:
                connections_type_0_item = connections_type_0_item_data.to_dict()
                connections.append(connections_type_0_item)

        else:
            connections = self.connections

        wait = self.wait

        webhook: None | str | Unset
        if isinstance(self.webhook, Unset):
            webhook = UNSET
        else:
            webhook = self.webhook

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "templateId": template_id,
            }
        )
        if source is not UNSET:
            field_dict["source"] = source
        if pdf_options is not UNSET:
            field_dict["pdfOptions"] = pdf_options
        if video_options is not UNSET:
            field_dict["videoOptions"] = video_options
        if publish is not UNSET:
            field_dict["publish"] = publish
        if modifications is not UNSET:
            field_dict["modifications"] = modifications
        if response is not UNSET:
            field_dict["response"] = response
        if connections is not UNSET:
            field_dict["connections"] = connections
        if wait is not UNSET:
            field_dict["wait"] = wait
        if webhook is not UNSET:
            field_dict["webhook"] = webhook

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.connection_spec import ConnectionSpec  # noqa: PLC0415
        from ..models.pdf_options import PdfOptions  # noqa: PLC0415
        from ..models.render_request_modifications import RenderRequestModifications  # noqa: PLC0415
        from ..models.response_spec import ResponseSpec  # noqa: PLC0415
        from ..models.video_options import VideoOptions  # noqa: PLC0415

        d = dict(src_dict)
        template_id = d.pop("templateId")

        def _parse_source(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source = _parse_source(d.pop("source", UNSET))

        def _parse_pdf_options(data: object) -> None | PdfOptions | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                pdf_options_type_0 = PdfOptions.from_dict(data)

                return pdf_options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PdfOptions | Unset, data)

        pdf_options = _parse_pdf_options(d.pop("pdfOptions", UNSET))

        def _parse_video_options(data: object) -> None | Unset | VideoOptions:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                video_options_type_0 = VideoOptions.from_dict(data)

                return video_options_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | VideoOptions, data)

        video_options = _parse_video_options(d.pop("videoOptions", UNSET))

        publish = d.pop("publish", UNSET)

        _modifications = d.pop("modifications", UNSET)
        modifications: RenderRequestModifications | Unset
        if isinstance(_modifications, Unset):
            modifications = UNSET
        else:
            modifications = RenderRequestModifications.from_dict(_modifications)

        _response = d.pop("response", UNSET)
        response: ResponseSpec | Unset
        if isinstance(_response, Unset):
            response = UNSET
        else:
            response = ResponseSpec.from_dict(_response)

        def _parse_connections(data: object) -> list[ConnectionSpec] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                connections_type_0 = []
                _connections_type_0 = data
                for connections_type_0_item_data in _connections_type_0:
                    connections_type_0_item = ConnectionSpec.from_dict(connections_type_0_item_data)

                    connections_type_0.append(connections_type_0_item)

                return connections_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ConnectionSpec] | None | Unset, data)

        connections = _parse_connections(d.pop("connections", UNSET))

        wait = d.pop("wait", UNSET)

        def _parse_webhook(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        webhook = _parse_webhook(d.pop("webhook", UNSET))

        render_request = cls(
            template_id=template_id,
            source=source,
            pdf_options=pdf_options,
            video_options=video_options,
            publish=publish,
            modifications=modifications,
            response=response,
            connections=connections,
            wait=wait,
            webhook=webhook,
        )

        return render_request
