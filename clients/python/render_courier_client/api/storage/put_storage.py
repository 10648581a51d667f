from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ...client import AuthenticatedClient, Client
from ...types import Response, UNSET
from ... import errors

from ...models.azure_storage_request import AzureStorageRequest
from ...models.azure_storage_response import AzureStorageResponse
from ...models.dropbox_storage_request import DropboxStorageRequest
from ...models.dropbox_storage_response import DropboxStorageResponse
from ...models.error_response import ErrorResponse
from ...models.gcs_storage_request import GcsStorageRequest
from ...models.gcs_storage_response import GcsStorageResponse
from ...models.r2_storage_request import R2StorageRequest
from ...models.r2_storage_response import R2StorageResponse
from ...models.s3_storage_request import S3StorageRequest
from ...models.s3_storage_response import S3StorageResponse


def _get_kwargs(
    name: str,
    *,
    body: AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest | S3StorageRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/storage/{name}".format(
            name=quote(str(name), safe=""),
        ),
    }

    if isinstance(body, S3StorageRequest):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, R2StorageRequest):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, DropboxStorageRequest):
        _kwargs["json"] = body.to_dict()
    elif isinstance(body, AzureStorageRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    AzureStorageResponse
    | DropboxStorageResponse
    | GcsStorageResponse
    | R2StorageResponse
    | S3StorageResponse
    | ErrorResponse
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> AzureStorageResponse | DropboxStorageResponse | GcsStorageResponse | R2StorageResponse | S3StorageResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_storage_response_type_0 = S3StorageResponse.from_dict(data)

                return componentsschemas_storage_response_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_storage_response_type_1 = R2StorageResponse.from_dict(data)

                return componentsschemas_storage_response_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_storage_response_type_2 = DropboxStorageResponse.from_dict(data)

                return componentsschemas_storage_response_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_storage_response_type_3 = AzureStorageResponse.from_dict(data)

                return componentsschemas_storage_response_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_storage_response_type_4 = GcsStorageResponse.from_dict(data)

            return componentsschemas_storage_response_type_4

        response_200 = _parse_response_200(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 413:
        response_413 = ErrorResponse.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ErrorResponse.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ErrorResponse.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ErrorResponse.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[
    AzureStorageResponse
    | DropboxStorageResponse
    | GcsStorageResponse
    | R2StorageResponse
    | S3StorageResponse
    | ErrorResponse
]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest | S3StorageRequest,
) -> Response[
    AzureStorageResponse
    | DropboxStorageResponse
    | GcsStorageResponse
    | R2StorageResponse
    | S3StorageResponse
    | ErrorResponse
]:
    """Create or replace a storage; its credentials are probed with a small write

    Args:
        name (str):
        body (AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest |
            S3StorageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AzureStorageResponse | DropboxStorageResponse | GcsStorageResponse | R2StorageResponse | S3StorageResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest | S3StorageRequest,
) -> (
    AzureStorageResponse
    | DropboxStorageResponse
    | GcsStorageResponse
    | R2StorageResponse
    | S3StorageResponse
    | ErrorResponse
    | None
):
    """Create or replace a storage; its credentials are probed with a small write

    Args:
        name (str):
        body (AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest |
            S3StorageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AzureStorageResponse | DropboxStorageResponse | GcsStorageResponse | R2StorageResponse | S3StorageResponse | ErrorResponse
    """

    return sync_detailed(
        name=name,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest | S3StorageRequest,
) -> Response[
    AzureStorageResponse
    | DropboxStorageResponse
    | GcsStorageResponse
    | R2StorageResponse
    | S3StorageResponse
    | ErrorResponse
]:
    """Create or replace a storage; its credentials are probed with a small write

    Args:
        name (str):
        body (AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest |
            S3StorageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AzureStorageResponse | DropboxStorageResponse | GcsStorageResponse | R2StorageResponse | S3StorageResponse | ErrorResponse]
    """

    kwargs = _get_kwargs(
        name=name,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    name: str,
    *,
    client: AuthenticatedClient | Client,
    body: AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest | S3StorageRequest,
) -> (
    AzureStorageResponse
    | DropboxStorageResponse
    | GcsStorageResponse
    | R2StorageResponse
    | S3StorageResponse
    | ErrorResponse
    | None
):
    """Create or replace a storage; its credentials are probed with a small write

    Args:
        name (str):
        body (AzureStorageRequest | DropboxStorageRequest | GcsStorageRequest | R2StorageRequest |
            S3StorageRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AzureStorageResponse | DropboxStorageResponse | GcsStorageResponse | R2StorageResponse | S3StorageResponse | ErrorResponse
    """

    return (
        await asyncio_detailed(
            name=name,
            client=client,
            body=body,
        )
    ).parsed
