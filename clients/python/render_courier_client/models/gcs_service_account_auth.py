from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast
from typing import Literal

if TYPE_CHECKING:
    from ..models.service_account_key import ServiceAccountKey


T = TypeVar("T", bound="GcsServiceAccountAuth")


@_attrs_define
class GcsServiceAccountAuth:
    """The service account's key file, as downloaded (JSON). It needs storage.objects.create, get and delete.

    Attributes:
        type_ (Literal['serviceAccount']):
        credentials (ServiceAccountKey): A service account's key file, as Google Cloud's console downloads it (its other
            fields are kept as given).
    """

    type_: Literal["serviceAccount"]
    credentials: ServiceAccountKey

    def to_dict(self) -> dict[str, Any]:
        from ..models.service_account_key import ServiceAccountKey  # noqa: PLC0415

        type_ = self.type_

        credentials = self.credentials.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
                "credentials": credentials,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.service_account_key import ServiceAccountKey  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["serviceAccount"], d.pop("type"))
        if type_ != "serviceAccount":
            raise ValueError(f"type must match const 'serviceAccount', got '{type_}'")

        credentials = ServiceAccountKey.from_dict(d.pop("credentials"))

        gcs_service_account_auth = cls(
            type_=type_,
            credentials=credentials,
        )

        return gcs_service_account_auth
