from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import Literal, cast


T = TypeVar("T", bound="ServiceAccountKey")


@_attrs_define
class ServiceAccountKey:
    """A service account's key file, as Google Cloud's console downloads it (its other fields are kept as given).

    Attributes:
        type_ (Literal['service_account']):
        client_email (str):
        private_key (str):
        token_uri (str): Google's token endpoint (https://oauth2.googleapis.com/token)
    """

    type_: Literal["service_account"]
    client_email: str
    private_key: str
    token_uri: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        client_email = self.client_email

        private_key = self.private_key

        token_uri = self.token_uri

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "client_email": client_email,
                "private_key": private_key,
                "token_uri": token_uri,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        type_ = cast(Literal["service_account"], d.pop("type"))
        if type_ != "service_account":
            raise ValueError(f"type must match const 'service_account', got '{type_}'")

        client_email = d.pop("client_email")

        private_key = d.pop("private_key")

        token_uri = d.pop("token_uri")

        service_account_key = cls(
            type_=type_,
            client_email=client_email,
            private_key=private_key,
            token_uri=token_uri,
        )

        service_account_key.additional_properties = d
        return service_account_key

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
