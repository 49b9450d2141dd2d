/**
 * The `admin` function (issue 14), typed by `AdminApi` like `callApi` is by `BookingApi`, and whether the
 * account administers anything — asked with the `staff` function's `me`, the same question and the same
 * remembered answer as the 工作人员 entry (services/staff.ts).
 */
import type { ApiResult } from '../../typings/api';
import type { AdminAction, AdminRequest, AdminResponse } from '../../typings/admin';
import type { StaffMe } from '../../typings/staff';
import { invoke } from './api';

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
