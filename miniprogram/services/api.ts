/**
 * The only place in the mini program that calls `wx.cloud`. Every call to the `booking` function goes
 * through `callApi`, typed by the shared contract in `typings/api.ts`.
 */
import type {
  ApiError,
  ApiResult,
  BookingAction,
  BookingRequest,
  BookingResponse,
} from '../../typings/api';

const NETWORK_ERROR: ApiError = {
  code: 'SYSTEM.BUSY',
  message: '网络不给力，请检查网络后重试',
};

export async function callApi<A extends BookingAction>(
  action: A,
  req: BookingRequest<A>,
): Promise<ApiResult<BookingResponse<A>>> {
  try {
    const res = await wx.cloud.callFunction({ name: 'booking', data: { action, ...req } });
    const result = res.result as ApiResult<BookingResponse<A>> | undefined;
    if (!result || typeof result !== 'object' || typeof result.ok !== 'boolean') {
      return { ok: false, error: NETWORK_ERROR };
    }
    return result;
  } catch {
    // The platform failed (network, function timeout): the citizen gets a retryable message, not its text.
    return { ok: false, error: NETWORK_ERROR };
  }
}
