/**
 * The `staff` function (the window's queue), typed by `StaffApi` like `callApi` is by `BookingApi`, and
 * what the mini program keeps about the account's roles.
 */
import type { ApiResult } from '../../typings/api';
import type { StaffAction, StaffMe, StaffRequest, StaffResponse } from '../../typings/staff';
import { invoke } from './api';
import { session } from './session';

export function callStaff<A extends StaffAction>(
  action: A,
  req: StaffRequest<A>,
): Promise<ApiResult<StaffResponse<A>>> {
  return invoke<StaffResponse<A>>('staff', { action, ...req });
}

/**
 * The account's roles and offices, asked once per launch of the mini program (a citizen's answer is
 * empty, and their home page never asks again); `force` asks again (the staff desk opening).
 */
export function loadStaffMe(force = false): Promise<ApiResult<StaffMe>> {
  const s = session();
  if (!force && s.staffMe) return Promise.resolve({ ok: true, data: s.staffMe });
  // A page asking while another's question is on its way shares its answer.
  if (!force && s.staffMeLoading) return s.staffMeLoading;
  const loading = callStaff('me', {}).then((res) => {
    if (res.ok) s.staffMe = res.data;
    if (s.staffMeLoading === loading) delete s.staffMeLoading;
    return res;
  });
  s.staffMeLoading = loading;
  return loading;
}
