/**
 * How a failed invocation reads on each path, as the platform reports it.
 *
 * To the mini program (`POST /callFunction`, i.e. `wx.cloud.callFunction`), the codes users see:
 * -504002 `functions execute fail` (the function threw; the errMsg carries the error and its stack),
 * -504003 `Invoking task timed out after N seconds`, -501000 `FunctionName parameter could not be found.`
 * (messages as reported in public issue threads, e.g. Mint-green/UnlearnableWord#10, buhuia/xixili#1).
 *
 * To another function (`functions.invokeFunction` through wx-server-sdk), the admin API answers a `code`:
 * FUNCTIONS_EXECUTE_FAIL for a throw and for a timeout (its message says which), SCF's
 * `ResourceNotFound.Function` for a missing function. wx-server-sdk@4.0.2 with @cloudbase/node-sdk@3.17.2
 * rethrows such an answer as a TcbError, which its toSDKError turns into `errCode: -1` with the message
 * in errMsg and the code kept on `err.code` — that is what callers of `cloud.callFunction` get.
 */
import type { InvokeOutcome, InvokeResult } from './types';

export const ERR_NOT_FOUND = -501000;
export const ERR_EXECUTE_FAIL = -504002;
export const ERR_TIMEOUT = -504003;
/** wx-server-sdk's TCB_ERR_CODE.INVALID_PARAM: a call refused before any function ran (data too deep). */
export const ERR_INVALID_PARAM = -501007;

export function toHttpOutcome(result: InvokeResult): InvokeOutcome {
  if (result.ok) return { result: result.result };
  switch (result.failure) {
    case 'not_found':
      return { errCode: ERR_NOT_FOUND, errMsg: result.message };
    case 'timeout':
      return { errCode: ERR_TIMEOUT, errMsg: result.message };
    case 'execute_fail':
      return {
        errCode: ERR_EXECUTE_FAIL,
        errMsg: `functions execute fail | errMsg: ${result.message}`,
      };
  }
}

export function toAdminAnswer(result: InvokeResult, requestId: string): Record<string, unknown> {
  if (result.ok) return { data: { response_data: result.json }, requestId };
  if (result.failure === 'not_found') {
    return { code: 'ResourceNotFound.Function', message: result.message, requestId };
  }
  return { code: 'FUNCTIONS_EXECUTE_FAIL', message: result.message, requestId };
}
