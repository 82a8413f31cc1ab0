/**
 * Property names from the OpenAPI subset (`shared/reference/auth0-management-api-mtls-subset.oas.json`)
 * that the emulator needs at run time, where the contract file is not shipped. A test compares each
 * list with the contract, so these cannot drift from it.
 */

/** UpdateClientRequestContent (additionalProperties: false). */
export const UPDATE_CLIENT_KEYS: readonly string[] = [
  'name', 'description', 'client_secret', 'logo_uri', 'callbacks', 'oidc_logout', 'oidc_backchannel_logout', 'session_transfer',
  'allowed_origins', 'web_origins', 'grant_types', 'client_aliases', 'allowed_clients', 'allowed_logout_urls', 'jwt_configuration',
  'encryption_key', 'sso', 'cross_origin_authentication', 'cross_origin_loc', 'sso_disabled', 'custom_login_page_on',
  'token_endpoint_auth_method', 'is_token_endpoint_ip_header_trusted', 'app_type', 'is_first_party', 'oidc_conformant',
  'custom_login_page', 'custom_login_page_preview', 'token_quota', 'form_template', 'addons', 'client_metadata', 'mobile',
  'initiate_login_uri', 'native_social_login', 'fedcm_login', 'refresh_token', 'default_organization', 'organization_usage',
  'organization_require_behavior', 'organization_discovery_methods', 'client_authentication_methods',
  'require_pushed_authorization_requests', 'require_proof_of_possession', 'signed_request_object', 'token_vault_privileged_access',
  'compliance_level', 'skip_non_verifiable_callback_uri_confirmation_prompt', 'token_exchange', 'par_request_expiry',
  'express_configuration', 'my_organization_configuration', 'async_approval_notification_channels', 'third_party_security_mode',
  'redirection_policy',
];

/** UpdateTenantSettingsRequestContent (additionalProperties: false). */
export const UPDATE_TENANT_SETTINGS_KEYS: readonly string[] = [
  'change_password', 'device_flow', 'guardian_mfa_page', 'default_audience', 'default_directory', 'error_page', 'default_token_quota',
  'flags', 'friendly_name', 'picture_url', 'support_email', 'support_url', 'allowed_logout_urls', 'session_lifetime',
  'session_lifetime_in_minutes', 'idle_session_lifetime', 'idle_session_lifetime_in_minutes', 'ephemeral_session_lifetime',
  'idle_ephemeral_session_lifetime', 'ephemeral_session_lifetime_in_minutes', 'idle_ephemeral_session_lifetime_in_minutes',
  'sandbox_version', 'legacy_sandbox_version', 'default_redirection_uri', 'enabled_locales', 'security_headers', 'session_cookie',
  'sessions', 'oidc_logout', 'customize_mfa_in_postlogin_action', 'allow_organization_name_in_authentication_api',
  'acr_values_supported', 'mtls', 'pushed_authorization_requests_supported', 'authorization_response_iss_parameter_supported',
  'skip_non_verifiable_callback_uri_confirmation_prompt', 'resource_parameter_profile', 'client_id_metadata_document_supported',
  'enable_ai_guide', 'phone_consolidated_experience', 'include_session_metadata_in_tenant_logs',
  'dynamic_client_registration_security_mode', 'country_codes',
];

/** GetTenantSettingsResponseContent and UpdateTenantSettingsResponseContent (additionalProperties: false). */
export const TENANT_SETTINGS_RESPONSE_KEYS: readonly string[] = [
  'change_password', 'guardian_mfa_page', 'default_audience', 'default_directory', 'error_page', 'device_flow', 'default_token_quota',
  'flags', 'friendly_name', 'picture_url', 'support_email', 'support_url', 'allowed_logout_urls', 'session_lifetime',
  'idle_session_lifetime', 'ephemeral_session_lifetime', 'idle_ephemeral_session_lifetime', 'sandbox_version',
  'legacy_sandbox_version', 'sandbox_versions_available', 'default_redirection_uri', 'enabled_locales', 'security_headers',
  'session_cookie', 'sessions', 'oidc_logout', 'allow_organization_name_in_authentication_api', 'customize_mfa_in_postlogin_action',
  'acr_values_supported', 'mtls', 'pushed_authorization_requests_supported', 'authorization_response_iss_parameter_supported',
  'skip_non_verifiable_callback_uri_confirmation_prompt', 'resource_parameter_profile', 'client_id_metadata_document_supported',
  'phone_consolidated_experience', 'enable_ai_guide', 'include_session_metadata_in_tenant_logs',
  'dynamic_client_registration_security_mode', 'country_codes',
];

/** UpdateResourceServerRequestContent (additionalProperties: false). */
export const UPDATE_RESOURCE_SERVER_KEYS: readonly string[] = [
  'name', 'scopes', 'signing_alg', 'signing_secret', 'skip_consent_for_verifiable_first_party_clients', 'allow_offline_access',
  'allow_online_access', 'allow_online_access_with_ephemeral_sessions', 'token_lifetime', 'token_dialect', 'enforce_policies',
  'token_encryption', 'consent_policy', 'authorization_details', 'proof_of_possession', 'subject_type_authorization',
  'authorization_policy',
];

/** GetResourceServerResponseContent and UpdateResourceServerResponseContent (additionalProperties: false). */
export const RESOURCE_SERVER_RESPONSE_KEYS: readonly string[] = [
  'id', 'name', 'is_system', 'identifier', 'scopes', 'signing_alg', 'signing_secret', 'allow_offline_access', 'allow_online_access',
  'allow_online_access_with_ephemeral_sessions', 'skip_consent_for_verifiable_first_party_clients', 'token_lifetime',
  'token_lifetime_for_web', 'enforce_policies', 'token_dialect', 'token_encryption', 'consent_policy', 'authorization_details',
  'proof_of_possession', 'subject_type_authorization', 'authorization_policy', 'client_id',
];

/** ClientAppTypeEnum. */
export const CLIENT_APP_TYPES: readonly string[] = [
  'native', 'spa', 'regular_web', 'non_interactive', 'resource_server', 'express_configuration', 'rms', 'box', 'cloudbees', 'concur',
  'dropbox', 'mscrm', 'echosign', 'egnyte', 'newrelic', 'office365', 'salesforce', 'sentry', 'sharepoint', 'slack', 'springcm',
  'zendesk', 'zoom', 'sso_integration', 'oag',
];
