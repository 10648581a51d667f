from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, BinaryIO, TextIO, TYPE_CHECKING, Generator

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

from typing import cast

if TYPE_CHECKING:
    from ..models.storage_auth_info_bucket_policy_type_0 import StorageAuthInfoBucketPolicyType0


T = TypeVar("T", bound="StorageAuthInfo")


@_attrs_define
class StorageAuthInfo:
    """
    Attributes:
        type_ (str): keys, role or policy (S3), dropbox, or the provider's own
        role_arn (None | str | Unset):
        external_id (None | str | Unset):
        bucket_policy (None | StorageAuthInfoBucketPolicyType0 | Unset):
    """

    type_: str
    role_arn: None | str | Unset = UNSET
    external_id: None | str | Unset = UNSET
    bucket_policy: None | StorageAuthInfoBucketPolicyType0 | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.storage_auth_info_bucket_policy_type_0 import StorageAuthInfoBucketPolicyType0  # noqa: PLC0415

        type_ = self.type_

        role_arn: None | str | Unset
        if isinstance(self.role_arn, Unset):
            role_arn = UNSET
        else:
            role_arn = self.role_arn

        external_id: None | str | Unset
        if isinstance(self.external_id, Unset):
            external_id = UNSET
        else:
            external_id = self.external_id

        bucket_policy: dict[str, Any] | None | Unset
        if isinstance(self.bucket_policy, Unset):
            bucket_policy = UNSET
        elif isinstance(self.bucket_policy, StorageAuthInfoBucketPolicyType0):
            bucket_policy = self.bucket_policy.to_dict()
        else:
            bucket_policy = self.bucket_policy

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "type": type_,
            }
        )
        if role_arn is not UNSET:
            field_dict["roleArn"] = role_arn
        if external_id is not UNSET:
            field_dict["externalId"] = external_id
        if bucket_policy is not UNSET:
            field_dict["bucketPolicy"] = bucket_policy

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.storage_auth_info_bucket_policy_type_0 import StorageAuthInfoBucketPolicyType0  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type")

        def _parse_role_arn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        role_arn = _parse_role_arn(d.pop("roleArn", UNSET))

        def _parse_external_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_id = _parse_external_id(d.pop("externalId", UNSET))

        def _parse_bucket_policy(data: object) -> None | StorageAuthInfoBucketPolicyType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                bucket_policy_type_0 = StorageAuthInfoBucketPolicyType0.from_dict(data)

                return bucket_policy_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StorageAuthInfoBucketPolicyType0 | Unset, data)

        bucket_policy = _parse_bucket_policy(d.pop("bucketPolicy", UNSET))

        storage_auth_info = cls(
            type_=type_,
            role_arn=role_arn,
            external_id=external_id,
            bucket_policy=bucket_policy,
        )

        return storage_auth_info
