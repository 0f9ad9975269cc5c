/**
 * Turning an SDK failure into the short, stable error code recorded in collectionErrors.
 * Messages are kept (trimmed) because they say *which* permission was missing; they never contain
 * credentials (AWS error messages carry ARNs and action names only).
 */

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const GENERIC_NAMES = new Set(['Error', 'Unknown', 'UnknownError', '']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError', 'RequestTimeout', 'AbortError']);

export function errorCodeOf(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : typeof e.Code === 'string' ? e.Code : '';
  if (TIMEOUT_CODES.has(name) || TIMEOUT_CODES.has(code)) return 'TimeoutError';
  if (!GENERIC_NAMES.has(name)) return name;
  if (code && !GENERIC_NAMES.has(code)) return code;
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number') return `HTTP${status}`;
  return 'UnknownError';
}

export function errorMessageOf(error: unknown): string | undefined {
  const message = typeof error === 'object' && error !== null ? (error as SdkErrorLike).message : undefined;
  if (typeof message !== 'string' || message.length === 0) return undefined;
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 297)}...` : oneLine;
}

export function httpStatusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null ? (error as SdkErrorLike).$metadata?.httpStatusCode : undefined;
}

/** The credentials of an organization's member account reached another account. */
export class AccountMismatchError extends Error {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`the credentials answered as account ${actual}, not ${expected}`);
  }
}
