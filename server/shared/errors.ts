import type { ApiError, ErrorCode } from '../../typings/errors';

/** One Chinese message per code: what a citizen reads. Complete by type: a new code must get a message. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  'REQUEST.INVALID': '请求内容有误，请返回重试',
  'REQUEST.UNKNOWN_ACTION': '暂不支持该操作，请更新小程序后重试',
  'AUTH.NO_IDENTITY': '无法确认您的微信身份，请在微信中重新打开小程序',
  'IDENTITY.NAME_INVALID': '请填写真实姓名（2-20 个字）',
  'IDENTITY.ID_FORMAT': '请填写 18 位居民身份证号码',
  'IDENTITY.ID_OLD_15': '15 位旧身份证号已停用，请填写 18 位身份证号码',
  'IDENTITY.ID_PROVINCE': '身份证号码的地区代码不正确，请核对',
  'IDENTITY.ID_BIRTH_DATE': '身份证号码中的出生日期不正确，请核对',
  'IDENTITY.ID_CHECK_DIGIT': '身份证号码校验位不正确，请逐位核对',
  'IDENTITY.PHONE_INVALID': '请填写 11 位中国大陆手机号码',
  'IDENTITY.PLATE_INVALID': '车牌号格式不正确，请核对（新能源车牌为 8 位）',
  'IDENTITY.PLATE_MILITARY': '军队、武警车辆的交通违法请到军队或武警相关部门处理，本窗口不受理',
  'IDENTITY.CATEGORY_INVALID': '请选择违法类别',
  'CATALOGUE.SERVICE_NOT_FOUND': '该业务暂未开放预约',
  'CALENDAR.DATE_INVALID': '预约日期不正确，请重新选择',
  'CALENDAR.SAME_DAY': '不能预约当天，请选择明天及以后的日期',
  'CALENDAR.OUT_OF_HORIZON': '该日期不在可预约范围内（可预约未来 7 天）',
  'CALENDAR.CLOSED': '该日为休息日或节假日，窗口不办公',
  'CALENDAR.NOT_RELEASED': '该日号源尚未放出，请在放号时间后再试',
  'QUOTA.PERIOD_NOT_FOUND': '该时段不存在，请重新选择',
  'QUOTA.SOLD_OUT': '该日号源已约满，每天都会放出新号源，请选择其他日期',
  'QUOTA.PERIOD_FULL': '该时段已约满，请选择其他时段',
  'BOOKING.PERSON_ALREADY_BOOKED': '该身份证号当天已有预约，同一人每天只能预约一次',
  'BOOKING.ACCOUNT_LIMIT': '本微信号的有效预约已达上限，请先办理或取消已有预约',
  'BOOKING.NOT_FOUND': '未找到该预约',
  'BOOKING.NOT_ACTIVE': '该预约已取消或已办结，不能再操作',
  'BOOKING.CUTOFF_PASSED': '已超过可取消或改约的时间',
  'BOOKING.SAME_SLOT': '新选择的日期和时段与原预约相同',
  'BOOKING.REQUEST_REUSED': '请求编号重复，请返回重新提交',
  'BLACKLIST.SUSPENDED': '因多次预约未到场，您暂时不能预约',
  'SYSTEM.BUSY': '当前预约人数较多，请稍后重试',
  INTERNAL: '系统繁忙，请稍后重试',
};

/** An expected, coded failure. Thrown inside handlers and answered as `{ ok: false, error }`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly field?: string,
    readonly detail?: string,
  ) {
    super(code);
    this.name = 'AppError';
  }

  toApiError(): ApiError {
    const message = this.detail
      ? `${ERROR_MESSAGES[this.code]}${this.detail}`
      : ERROR_MESSAGES[this.code];
    return this.field
      ? { code: this.code, message, field: this.field }
      : { code: this.code, message };
  }
}

export function apiError(code: ErrorCode, field?: string): ApiError {
  return new AppError(code, field).toApiError();
}
