/** The API version reported by /healthz and /. */
export const APP_VERSION = '1.0.0';
