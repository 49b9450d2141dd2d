/**
 * The only place in the mini program that calls `wx.cloud`. Every call to the `booking` function goes
 * through `callApi`, typed by the shared contract in `typings/api.ts`; the `staff` function's through
 * `callStaff` (services/staff.ts), typed by `typings/staff.ts`.
 */
import type {
  ApiError,
  ApiResult,
  BookingAction,
  BookingRequest,
  BookingResponse,
} from '../../typings/api';
import { messageOf } from '../utils/messages';

/**
 * The platform failed (no network, a function timeout): nothing was answered. Its code is the retryable
 * `SYSTEM.BUSY`; pages tell it apart with `isNetworkError` to say "check your network".
 */
const NETWORK_ERROR: ApiError = {
  code: 'SYSTEM.BUSY',
  message: '网络不给力，请检查网络后重试',
};

/**
 * One call to a cloud function answering the `{ ok, data } | { ok: false, error }` envelope. The answer's
 * type is the caller's contract (`BookingApi`, `StaffApi`): the function is built from the same types.
 */
export async function invoke<T>(
  name: string,
  data: Record<string, unknown>,
): Promise<ApiResult<T>> {
  try {
    const res = await wx.cloud.callFunction({ name, data });
    const result = res.result as ApiResult<T> | undefined;
    if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
      return { ok: false, error: NETWORK_ERROR };
    }
    return result;
  } catch {
    // The platform failed (network, function timeout): the citizen gets a retryable message, not its text.
    return { ok: false, error: NETWORK_ERROR };
  }
}

export function callApi<A extends BookingAction>(
  action: A,
  req: BookingRequest<A>,
): Promise<ApiResult<BookingResponse<A>>> {
  return invoke<BookingResponse<A>>('booking', { action, ...req });
}

export function isNetworkError(error: ApiError): boolean {
  return error === NETWORK_ERROR;
}

/** The sentence to show for a failed call: the network's own, or the table's message for the code. */
export function errorMessage(error: ApiError): string {
  return isNetworkError(error) ? error.message : messageOf(error);
}

/** Errors worth the same request again a moment later: the network, a busy or failing server. */
export function isRetryable(error: ApiError): boolean {
  return isNetworkError(error) || error.code === 'SYSTEM.BUSY' || error.code === 'INTERNAL';
}

/** What a page shows when loading failed: the message, and whether 重试 is offered. */
export function loadFailed(error: ApiError): { loading: false; error: string; retryable: boolean } {
  return { loading: false, error: errorMessage(error), retryable: isRetryable(error) };
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The `requestId` of a `book` call (8–64 of `[A-Za-z0-9_-]`): made once per confirmation and sent again
 * with every retry of it, so the server answers a repeat with the booking it already made. It only has
 * to be unique for this account (the server keys it with the openid), not secret.
 */
export function newRequestId(): string {
  let id = Date.now().toString(36);
  while (id.length < 24) id += ID_CHARS.charAt(Math.floor(Math.random() * ID_CHARS.length));
  return id;
}
