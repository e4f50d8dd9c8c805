import {
  BadGatewayException,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  InternalServerErrorException,
  MethodNotAllowedException,
  NotFoundException,
  PayloadTooLargeException,
  ServiceUnavailableException,
  UnauthorizedException,
  UnprocessableEntityException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';

interface ErrorSpec {
  status: number;
  /** The `detail` when the thrower gives none. */
  detail: string;
}

/**
 * Every machine-readable error `code` the API answers, with its status and default `detail`: clients
 * branch on `code`, never on the English. The OpenAPI document lists them (the `code` enum of the error
 * schemas). A code, once published, keeps its meaning; a new failure gets a new code.
 */
export const ERRORS = {
  // Any error of a status that has no more precise code (framework refusals among them).
  bad_request: { status: 400, detail: 'Bad request' },
  unauthorized: { status: 401, detail: 'Could not validate credentials' },
  forbidden: { status: 403, detail: 'Forbidden' },
  not_found: { status: 404, detail: 'Not found' },
  method_not_allowed: { status: 405, detail: 'Method not allowed' },
  conflict: { status: 409, detail: 'Conflict' },
  payload_too_large: { status: 413, detail: 'Request body too large' },
  unsupported_media_type: { status: 415, detail: 'Unsupported media type: send application/json' },
  validation_failed: { status: 422, detail: 'Unprocessable entity' },
  rate_limited: { status: 429, detail: 'Too many requests, please retry later' },
  internal_error: { status: 500, detail: 'Internal server error' },
  bad_gateway: { status: 502, detail: 'Bad gateway' },
  service_unavailable: { status: 503, detail: 'Service unavailable' },

  // Requests refused before they reach a route.
  malformed_json: { status: 400, detail: 'Malformed JSON body' },
  json_too_deep: { status: 400, detail: 'JSON nested too deeply (at most 32 levels)' },
  unsupported_encoding: { status: 415, detail: 'Unsupported content encoding' },
  database_unavailable: { status: 503, detail: 'Service unavailable: the database cannot be reached, please retry' },

  // Authentication.
  not_authenticated: { status: 403, detail: 'Not authenticated' },
  invalid_token: { status: 401, detail: 'Could not validate credentials' },
  token_revoked: { status: 401, detail: 'Token has been revoked' },
  token_wrong_type: { status: 401, detail: 'Invalid token type' },
  account_inactive: { status: 403, detail: 'Account is inactive' },
  admin_required: { status: 403, detail: 'Admin privileges required' },
  invalid_credentials: { status: 401, detail: 'Incorrect email or password' },
  invalid_refresh_token: { status: 401, detail: 'Invalid refresh token' },
  email_not_verified: { status: 403, detail: 'Email not verified' },
  invalid_metrics_token: { status: 401, detail: 'Invalid metrics token' },
  not_ready: { status: 503, detail: 'Not ready' },

  // Accounts.
  email_taken: { status: 400, detail: 'Email already registered' },
  user_not_found: { status: 404, detail: 'User not found' },
  current_password_incorrect: { status: 400, detail: 'Current password is incorrect' },
  password_incorrect: { status: 400, detail: 'Password is incorrect' },
  own_account_protected: { status: 400, detail: 'You cannot deactivate or demote your own account' },
  last_active_admin: {
    status: 400,
    detail: 'You are the only active admin: promote another admin before deleting your account',
  },
  invalid_or_expired_token: { status: 400, detail: 'Invalid or expired token' },
  email_already_verified: { status: 400, detail: 'Email already verified' },
  session_not_found: { status: 404, detail: 'Session not found' },

  // Two-factor authentication.
  mfa_already_enabled: { status: 400, detail: 'Two-factor authentication is already enabled' },
  mfa_not_set_up: { status: 400, detail: 'Set up two-factor authentication first' },
  code_invalid: { status: 400, detail: 'Invalid code' },
  code_required: { status: 400, detail: 'Two-factor authentication is on: send code or recovery_code' },
  invalid_mfa_token: { status: 401, detail: 'Invalid or expired MFA token' },
  mfa_code_invalid: { status: 401, detail: 'Invalid code' },

  // Missions and the mission builder.
  mission_not_found: { status: 404, detail: 'Mission not found' },
  mission_forbidden: { status: 403, detail: 'Not enough permissions: this mission belongs to another user' },
  invalid_date_range: { status: 400, detail: 'The dates are in the wrong order' },
  invalid_state: { status: 400, detail: 'Invalid target_state' },
  illegal_transition: { status: 409, detail: 'This state transition is not allowed' },
  mission_state_changed: {
    status: 409,
    detail: 'The mission changed state in the meantime; reload it and try again',
  },
  draft_not_found: { status: 404, detail: 'Mission draft not found or expired' },
  draft_forbidden: { status: 403, detail: 'Not enough permissions: this draft belongs to another user' },
  llm_not_configured: { status: 502, detail: 'LLM service is not configured' },
  llm_failed: { status: 502, detail: 'The LLM service failed; please try again' },

  // Training data.
  ftp_not_set: { status: 404, detail: 'Set your FTP first' },
  activity_not_found: { status: 404, detail: 'Activity not found' },
  activity_has_no_streams: { status: 404, detail: 'This activity has no streams (a manual entry)' },
  duplicate_activity: { status: 409, detail: 'Duplicate activity' },
  file_too_large: { status: 413, detail: 'File too large (ACTIVITY_UPLOAD_LIMIT)' },
  malformed_multipart: { status: 400, detail: 'Malformed multipart body' },
  wellness_day_not_found: { status: 404, detail: 'Wellness day not found' },
  coach_run_not_found: { status: 404, detail: 'No briefing for this date' },
  mission_not_coached: {
    status: 409,
    detail: 'Briefings are made for missions in TRAINING or EVENT_ACTIVE only',
  },

  // Strava.
  strava_not_configured: { status: 503, detail: 'Strava is not configured on this server' },
  oauth_state_missing: { status: 400, detail: 'Missing OAuth state' },
  invalid_oauth_state: { status: 400, detail: 'Invalid OAuth state' },
  strava_authorization_declined: { status: 400, detail: 'Strava authorization was declined' },
  strava_scope_missing: { status: 400, detail: 'Strava access to activities (activity:read_all) was not granted' },
  authorization_code_missing: { status: 400, detail: 'Missing authorization code' },
  strava_code_refused: { status: 400, detail: 'Strava refused the authorization code: start the connection again' },
  strava_unreachable: { status: 502, detail: 'Strava could not be reached: try connecting again' },
  strava_athlete_missing: { status: 502, detail: 'Strava did not name the athlete: try connecting again' },
  strava_athlete_taken: { status: 400, detail: 'This Strava athlete is already connected to another account' },
  connection_not_found: { status: 404, detail: 'Connection not found' },
  webhook_verification_failed: { status: 403, detail: 'Webhook verification failed' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

const GENERIC_BY_STATUS = new Map<number, ErrorCode>(
  ERROR_CODES.slice(0, ERROR_CODES.indexOf('service_unavailable') + 1).map((code) => [ERRORS[code].status, code]),
);

/** The code of an error that has no more precise one: by its status (`not_found`, `rate_limited`...). */
export function genericCode(status: number): ErrorCode {
  return GENERIC_BY_STATUS.get(status) ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/** An error body as it leaves the API, for code that answers without the exception filter (middleware). */
export function errorBody(
  code: ErrorCode,
  detail: unknown = ERRORS[code].detail,
): { detail: unknown; code: ErrorCode } {
  return { detail, code };
}

/** The Nest exception class of each status, so a coded error is still a `NotFoundException`, say. */
const EXCEPTION_BY_STATUS: Partial<Record<number, new (body: object) => HttpException>> = {
  400: BadRequestException,
  401: UnauthorizedException,
  403: ForbiddenException,
  404: NotFoundException,
  405: MethodNotAllowedException,
  409: ConflictException,
  413: PayloadTooLargeException,
  415: UnsupportedMediaTypeException,
  422: UnprocessableEntityException,
  500: InternalServerErrorException,
  502: BadGatewayException,
  503: ServiceUnavailableException,
};

/**
 * The one way services fail a request: `throw apiError('mission_not_found')`, or with a detail of its own
 * (`apiError('invalid_state', `Invalid target_state ...`)`). The status comes from the registry; the
 * exception filter answers `{detail, code}`.
 */
export function apiError(code: ErrorCode, detail?: unknown): HttpException {
  const { status } = ERRORS[code];
  const body = errorBody(code, detail ?? ERRORS[code].detail);
  const Exception = EXCEPTION_BY_STATUS[status];
  const error = Exception ? new Exception(body) : new HttpException(body, status);
  // What logs and the admin commands print.
  error.message = typeof body.detail === 'string' ? body.detail : ERRORS[code].detail;
  return error;
}
