from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset


T = TypeVar("T", bound="DropboxAuthorizeResponse")


@_attrs_define
class DropboxAuthorizeResponse:
    """
    Attributes:
        authorize_url (str):
        redirect_uri (str):
        expires_in (int):
    """

    authorize_url: str
    redirect_uri: str
    expires_in: int

    def to_dict(self) -> dict[str, Any]:
        authorize_url = self.authorize_url

        redirect_uri = self.redirect_uri

        expires_in = self.expires_in

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "authorizeUrl": authorize_url,
                "redirectUri": redirect_uri,
                "expiresIn": expires_in,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        authorize_url = d.pop("authorizeUrl")

        redirect_uri = d.pop("redirectUri")

        expires_in = d.pop("expiresIn")

        dropbox_authorize_response = cls(
            authorize_url=authorize_url,
            redirect_uri=redirect_uri,
            expires_in=expires_in,
        )

        return dropbox_authorize_response
