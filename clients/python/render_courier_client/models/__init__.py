"""Contains all the data models used in inputs/outputs"""

from .azure_connection_string_auth import AzureConnectionStringAuth
from .azure_key_auth import AzureKeyAuth
from .azure_sas_auth import AzureSasAuth
from .azure_storage_request import AzureStorageRequest
from .azure_storage_request_acl_type_1 import AzureStorageRequestAclType1
from .azure_storage_request_if_exists_type_0 import AzureStorageRequestIfExistsType0
from .azure_storage_request_metadata_type_0 import AzureStorageRequestMetadataType0
from .azure_storage_request_tags_type_1 import AzureStorageRequestTagsType1
from .azure_storage_response import AzureStorageResponse
from .border import Border
from .connection_spec import ConnectionSpec
from .connection_spec_acl_type_0 import ConnectionSpecAclType0
from .connection_spec_headers_type_0 import ConnectionSpecHeadersType0
from .connection_spec_if_exists_type_0 import ConnectionSpecIfExistsType0
from .connection_spec_metadata_type_0 import ConnectionSpecMetadataType0
from .connection_spec_provider import ConnectionSpecProvider
from .connection_spec_sse_type_0 import ConnectionSpecSseType0
from .connection_spec_storage_class_type_0 import ConnectionSpecStorageClassType0
from .connection_spec_tags_type_0 import ConnectionSpecTagsType0
from .connection_spec_type import ConnectionSpecType
from .connection_status import ConnectionStatus
from .connection_status_provider import ConnectionStatusProvider
from .connection_status_status import ConnectionStatusStatus
from .create_template_body import CreateTemplateBody
from .dropbox_authorize_response import DropboxAuthorizeResponse
from .dropbox_connect_request import DropboxConnectRequest
from .dropbox_connect_request_acl_type_0 import DropboxConnectRequestAclType0
from .dropbox_connect_request_if_exists_type_0 import DropboxConnectRequestIfExistsType0
from .dropbox_connect_request_metadata_type_0 import DropboxConnectRequestMetadataType0
from .dropbox_connect_request_sse_type_0 import DropboxConnectRequestSseType0
from .dropbox_connect_request_storage_class_type_0 import DropboxConnectRequestStorageClassType0
from .dropbox_connect_request_tags_type_0 import DropboxConnectRequestTagsType0
from .dropbox_storage_request import DropboxStorageRequest
from .dropbox_storage_request_acl_type_1 import DropboxStorageRequestAclType1
from .dropbox_storage_request_if_exists_type_0 import DropboxStorageRequestIfExistsType0
from .dropbox_storage_request_metadata_type_1 import DropboxStorageRequestMetadataType1
from .dropbox_storage_request_tags_type_1 import DropboxStorageRequestTagsType1
from .dropbox_storage_response import DropboxStorageResponse
from .ellipse_layer import EllipseLayer
from .error_body import ErrorBody
from .error_detail import ErrorDetail
from .error_response import ErrorResponse
from .file_delivery import FileDelivery
from .file_delivery_status import FileDeliveryStatus
from .gcs_hmac_auth import GcsHmacAuth
from .gcs_service_account_auth import GcsServiceAccountAuth
from .gcs_storage_request import GcsStorageRequest
from .gcs_storage_request_acl_type_1 import GcsStorageRequestAclType1
from .gcs_storage_request_if_exists_type_0 import GcsStorageRequestIfExistsType0
from .gcs_storage_request_metadata_type_0 import GcsStorageRequestMetadataType0
from .gcs_storage_request_tags_type_1 import GcsStorageRequestTagsType1
from .gcs_storage_response import GcsStorageResponse
from .generate_request import GenerateRequest
from .generate_request_modifications import GenerateRequestModifications
from .get_openapi_response_200 import GetOpenapiResponse200
from .gradient_stop import GradientStop
from .image_layer import ImageLayer
from .image_layer_fit import ImageLayerFit
from .keys_auth import KeysAuth
from .last_delivery import LastDelivery
from .last_delivery_status import LastDeliveryStatus
from .layer_keyframes import LayerKeyframes
from .linear_gradient import LinearGradient
from .object_options import ObjectOptions
from .object_options_acl_type_0 import ObjectOptionsAclType0
from .object_options_if_exists_type_0 import ObjectOptionsIfExistsType0
from .object_options_metadata_type_0 import ObjectOptionsMetadataType0
from .object_options_sse_type_0 import ObjectOptionsSseType0
from .object_options_storage_class_type_0 import ObjectOptionsStorageClassType0
from .object_options_tags_type_0 import ObjectOptionsTagsType0
from .output_spec import OutputSpec
from .output_spec_pdf import OutputSpecPdf
from .page import Page
from .page_content import PageContent
from .page_path import PagePath
from .pdf_options import PdfOptions
from .pdf_options_color_mode_type_0 import PdfOptionsColorModeType0
from .policy_auth import PolicyAuth
from .position_keyframe import PositionKeyframe
from .position_keyframe_easing import PositionKeyframeEasing
from .qr_layer import QrLayer
from .qr_layer_errorcorrection import QrLayerErrorcorrection
from .r2_storage_request import R2StorageRequest
from .r2_storage_request_acl_type_1 import R2StorageRequestAclType1
from .r2_storage_request_if_exists_type_0 import R2StorageRequestIfExistsType0
from .r2_storage_request_jurisdiction_type_0 import R2StorageRequestJurisdictionType0
from .r2_storage_request_metadata_type_0 import R2StorageRequestMetadataType0
from .r2_storage_request_sse_type_1 import R2StorageRequestSseType1
from .r2_storage_request_tags_type_1 import R2StorageRequestTagsType1
from .r2_storage_response import R2StorageResponse
from .rect_layer import RectLayer
from .remote_copy_request import RemoteCopyRequest
from .remote_copy_response import RemoteCopyResponse
from .remote_copy_response_status_type_0 import RemoteCopyResponseStatusType0
from .render_data import RenderData
from .render_data_format import RenderDataFormat
from .render_data_type import RenderDataType
from .render_list import RenderList
from .render_request import RenderRequest
from .render_request_modifications import RenderRequestModifications
from .render_response import RenderResponse
from .render_response_format_type_0 import RenderResponseFormatType0
from .render_response_status import RenderResponseStatus
from .render_response_type_type_0 import RenderResponseTypeType0
from .response_spec import ResponseSpec
from .response_spec_format import ResponseSpecFormat
from .response_spec_type import ResponseSpecType
from .role_auth import RoleAuth
from .rotation_keyframe import RotationKeyframe
from .rotation_keyframe_easing import RotationKeyframeEasing
from .s3_storage_request import S3StorageRequest
from .s3_storage_request_acl_type_0 import S3StorageRequestAclType0
from .s3_storage_request_if_exists_type_0 import S3StorageRequestIfExistsType0
from .s3_storage_request_metadata_type_0 import S3StorageRequestMetadataType0
from .s3_storage_request_sse_type_0 import S3StorageRequestSseType0
from .s3_storage_request_storage_class_type_0 import S3StorageRequestStorageClassType0
from .s3_storage_request_tags_type_0 import S3StorageRequestTagsType0
from .s3_storage_response import S3StorageResponse
from .scale_keyframe import ScaleKeyframe
from .scale_keyframe_easing import ScaleKeyframeEasing
from .service_account_key import ServiceAccountKey
from .share_keyframe import ShareKeyframe
from .share_keyframe_easing import ShareKeyframeEasing
from .storage_auth_info import StorageAuthInfo
from .storage_auth_info_bucket_policy_type_0 import StorageAuthInfoBucketPolicyType0
from .storage_list import StorageList
from .storage_patch import StoragePatch
from .template_document import TemplateDocument
from .template_list import TemplateList
from .template_summary import TemplateSummary
from .text_keyframes import TextKeyframes
from .text_layer import TextLayer
from .text_layer_align import TextLayerAlign
from .text_layer_fontfamily import TextLayerFontfamily
from .text_layer_verticalalign import TextLayerVerticalalign
from .uploadcare_error import UploadcareError
from .uploadcare_key_created import UploadcareKeyCreated
from .uploadcare_key_info import UploadcareKeyInfo
from .uploadcare_key_list import UploadcareKeyList
from .video_options import VideoOptions
from .warning import Warning_
from .webhook_event_outcome import WebhookEventOutcome
from .webhook_event_outcome_status import WebhookEventOutcomeStatus
from .webhook_secret_info import WebhookSecretInfo
from .webhook_secret_request import WebhookSecretRequest
from .webhook_secret_response import WebhookSecretResponse
from .webhook_settings_request import WebhookSettingsRequest
from .webhook_settings_request_events_item import WebhookSettingsRequestEventsItem
from .webhook_settings_response import WebhookSettingsResponse
from .webhook_status import WebhookStatus
from .webhook_status_status import WebhookStatusStatus

__all__ = (
    "AzureConnectionStringAuth",
    "AzureKeyAuth",
    "AzureSasAuth",
    "AzureStorageRequest",
    "AzureStorageRequestAclType1",
    "AzureStorageRequestIfExistsType0",
    "AzureStorageRequestMetadataType0",
    "AzureStorageRequestTagsType1",
    "AzureStorageResponse",
    "Border",
    "ConnectionSpec",
    "ConnectionSpecAclType0",
    "ConnectionSpecHeadersType0",
    "ConnectionSpecIfExistsType0",
    "ConnectionSpecMetadataType0",
    "ConnectionSpecProvider",
    "ConnectionSpecSseType0",
    "ConnectionSpecStorageClassType0",
    "ConnectionSpecTagsType0",
    "ConnectionSpecType",
    "ConnectionStatus",
    "ConnectionStatusProvider",
    "ConnectionStatusStatus",
    "CreateTemplateBody",
    "DropboxAuthorizeResponse",
    "DropboxConnectRequest",
    "DropboxConnectRequestAclType0",
    "DropboxConnectRequestIfExistsType0",
    "DropboxConnectRequestMetadataType0",
    "DropboxConnectRequestSseType0",
    "DropboxConnectRequestStorageClassType0",
    "DropboxConnectRequestTagsType0",
    "DropboxStorageRequest",
    "DropboxStorageRequestAclType1",
    "DropboxStorageRequestIfExistsType0",
    "DropboxStorageRequestMetadataType1",
    "DropboxStorageRequestTagsType1",
    "DropboxStorageResponse",
    "EllipseLayer",
    "ErrorBody",
    "ErrorDetail",
    "ErrorResponse",
    "FileDelivery",
    "FileDeliveryStatus",
    "GcsHmacAuth",
    "GcsServiceAccountAuth",
    "GcsStorageRequest",
    "GcsStorageRequestAclType1",
    "GcsStorageRequestIfExistsType0",
    "GcsStorageRequestMetadataType0",
    "GcsStorageRequestTagsType1",
    "GcsStorageResponse",
    "GenerateRequest",
    "GenerateRequestModifications",
    "GetOpenapiResponse200",
    "GradientStop",
    "ImageLayer",
    "ImageLayerFit",
    "KeysAuth",
    "LastDelivery",
    "LastDeliveryStatus",
    "LayerKeyframes",
    "LinearGradient",
    "ObjectOptions",
    "ObjectOptionsAclType0",
    "ObjectOptionsIfExistsType0",
    "ObjectOptionsMetadataType0",
    "ObjectOptionsSseType0",
    "ObjectOptionsStorageClassType0",
    "ObjectOptionsTagsType0",
    "OutputSpec",
    "OutputSpecPdf",
    "Page",
    "PageContent",
    "PagePath",
    "PdfOptions",
    "PdfOptionsColorModeType0",
    "PolicyAuth",
    "PositionKeyframe",
    "PositionKeyframeEasing",
    "QrLayer",
    "QrLayerErrorcorrection",
    "R2StorageRequest",
    "R2StorageRequestAclType1",
    "R2StorageRequestIfExistsType0",
    "R2StorageRequestJurisdictionType0",
    "R2StorageRequestMetadataType0",
    "R2StorageRequestSseType1",
    "R2StorageRequestTagsType1",
    "R2StorageResponse",
    "RectLayer",
    "RemoteCopyRequest",
    "RemoteCopyResponse",
    "RemoteCopyResponseStatusType0",
    "RenderData",
    "RenderDataFormat",
    "RenderDataType",
    "RenderList",
    "RenderRequest",
    "RenderRequestModifications",
    "RenderResponse",
    "RenderResponseFormatType0",
    "RenderResponseStatus",
    "RenderResponseTypeType0",
    "ResponseSpec",
    "ResponseSpecFormat",
    "ResponseSpecType",
    "RoleAuth",
    "RotationKeyframe",
    "RotationKeyframeEasing",
    "S3StorageRequest",
    "S3StorageRequestAclType0",
    "S3StorageRequestIfExistsType0",
    "S3StorageRequestMetadataType0",
    "S3StorageRequestSseType0",
    "S3StorageRequestStorageClassType0",
    "S3StorageRequestTagsType0",
    "S3StorageResponse",
    "ScaleKeyframe",
    "ScaleKeyframeEasing",
    "ServiceAccountKey",
    "ShareKeyframe",
    "ShareKeyframeEasing",
    "StorageAuthInfo",
    "StorageAuthInfoBucketPolicyType0",
    "StorageList",
    "StoragePatch",
    "TemplateDocument",
    "TemplateList",
    "TemplateSummary",
    "TextKeyframes",
    "TextLayer",
    "TextLayerAlign",
    "TextLayerFontfamily",
    "TextLayerVerticalalign",
    "UploadcareError",
    "UploadcareKeyCreated",
    "UploadcareKeyInfo",
    "UploadcareKeyList",
    "VideoOptions",
    "Warning_",
    "WebhookEventOutcome",
    "WebhookEventOutcomeStatus",
    "WebhookSecretInfo",
    "WebhookSecretRequest",
    "WebhookSecretResponse",
    "WebhookSettingsRequest",
    "WebhookSettingsRequestEventsItem",
    "WebhookSettingsResponse",
    "WebhookStatus",
    "WebhookStatusStatus",
)
