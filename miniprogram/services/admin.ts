/**
 * The `admin` function (issue 14), typed by `AdminApi` like `callApi` is by `BookingApi`, and whether the
 * account administers anything — asked with the `staff` function's `me`, the same question and the same
 * remembered answer as the 工作人员 entry (services/staff.ts).
 */
import type { ApiError, ApiResult } from '../../typings/api';
import type { AdminAction, AdminRequest, AdminResponse } from '../../typings/admin';
import type { StaffMe } from '../../typings/staff';
import type { ConfigIssue } from '../../server/domain/service-config';
import { fieldErrors, serverError } from '../admin/utils/forms';
import { errorMessage, invoke, loadFailed } from './api';

export function callAdmin<A extends AdminAction>(
  action: A,
  req: AdminRequest<A>,
): Promise<ApiResult<AdminResponse<A>>> {
  return invoke<AdminResponse<A>>('admin', { action, ...req });
}

/** An account holding `office_admin` or `city_admin` (the admin pages' audience). */
export function isAdministrator(me: StaffMe): boolean {
  return me.roles.some((r) => r.role === 'office_admin' || r.role === 'city_admin');
}

export function isCityAdministrator(me: StaffMe): boolean {
  return me.roles.some((r) => r.role === 'city_admin');
}

/** What the server answers an account without the role (the action is hidden, issue 13). */
export const NO_ROLE = 'REQUEST.UNKNOWN_ACTION';

/**
 * What an admin page shows when its read was refused: the page for an account without the role, or the
 * load error with 重试 (nothing on a quiet refresh, `spinner` false: what is shown stays).
 */
export function loadRefused(
  error: ApiError,
  spinner = true,
): { loading: false; denied: true } | ReturnType<typeof loadFailed> | Record<string, never> {
  if (error.code === NO_ROLE) return { loading: false, denied: true };
  return spinner ? loadFailed(error) : {};
}

/** A refused save's message: under the field the server named, or for the whole form under `''`. */
export function saveRefused(error: ApiError): Record<string, string> {
  return error.field ? serverError(error.code, error.field) : { '': errorMessage(error) };
}

/** What a form page shows while it saves: the messages under the fields, the spinner, the 已保存 line. */
export interface SaveState {
  errors?: Record<string, string>;
  saving?: boolean;
  saved?: string;
}

/**
 * An admin form's 保存: the server's own checks first (`issues`, each shown under its field, nothing
 * sent), then `call`; a refusal is shown under the field the server named. Answers the saved document,
 * or undefined when it was not saved.
 */
export async function saveChecked<T>(
  show: (state: SaveState) => void,
  issues: readonly ConfigIssue[],
  call: () => Promise<ApiResult<T>>,
): Promise<T | undefined> {
  if (issues.length > 0) {
    show({ errors: fieldErrors(issues), saved: '' });
    return undefined;
  }
  show({ saving: true, errors: {}, saved: '' });
  const res = await call();
  show({ saving: false });
  if (!res.ok) {
    show({ errors: saveRefused(res.error) });
    return undefined;
  }
  return res.data;
}
