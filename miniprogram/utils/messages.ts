/**
 * What a citizen reads when something goes wrong. Every coded error's text comes from the one table
 * (`ERROR_MESSAGES`, shared with the server); never an exception's own text.
 */
import type { ApiError, ErrorCode } from '../../typings/api';
import { ERROR_MESSAGES } from '../../server/shared/errors';

export function codeMessage(code: ErrorCode): string {
  return ERROR_MESSAGES[code];
}

/**
 * The table's message for the error's code. The server may append a detail to it (the date a suspension
 * ends, R10); that is kept when the answer starts with the table's text, anything else is not shown.
 */
export function messageOf(error: ApiError): string {
  const known = (ERROR_MESSAGES as Partial<Record<string, string>>)[error.code];
  if (known === undefined) return ERROR_MESSAGES.INTERNAL;
  if (typeof error.message === 'string' && error.message.startsWith(known)) return error.message;
  return known;
}
