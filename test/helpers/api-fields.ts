/** Every field of one audit-log entry as the API returns it (AuditLogResponseDto), sorted. */
export const AUDIT_LOG_FIELDS: readonly string[] = [
  'action',
  'created_at',
  'details',
  'id',
  'ip_address',
  'request_id',
  'resource',
  'resource_id',
  'status_code',
  'user_agent',
  'user_id',
].sort();
