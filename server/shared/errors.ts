import type { ApiError, ErrorCode } from '../../typings/errors';

/** One Chinese message per code: what a citizen reads. Complete by type: a new code must get a message. */
export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  'REQUEST.INVALID': '请求内容有误，请返回重试',
  'REQUEST.UNKNOWN_ACTION': '暂不支持该操作，请更新小程序后重试',
  'AUTH.NO_IDENTITY': '无法确认您的微信身份，请在微信中重新打开小程序',
  'IDENTITY.NAME_EMPTY': '请填写姓名，与身份证上一致',
  'IDENTITY.NAME_DIGITS': '姓名里不能有数字，请按身份证上的姓名填写',
  'IDENTITY.NAME_CHARS': '姓名只能是汉字或英文字母；少数民族姓名中间的点请用“·”',
  'IDENTITY.NAME_INVALID': '请填写真实姓名（2-20 个字）',
  'IDENTITY.ID_EMPTY': '请填写身份证号码',
  'IDENTITY.ID_FORMAT': '请填写 18 位居民身份证号码',
  'IDENTITY.ID_OLD_15': '15 位旧身份证号已停用，请填写 18 位身份证号码',
  'IDENTITY.ID_PROVINCE': '身份证号码的地区代码不正确，请核对',
  'IDENTITY.ID_BIRTH_DATE': '身份证号码中的出生日期不正确，请核对',
  'IDENTITY.ID_CHECK_DIGIT': '身份证号码校验位不正确，请逐位核对',
  'IDENTITY.PHONE_EMPTY': '请填写手机号码',
  'IDENTITY.PHONE_INVALID': '请填写 11 位中国大陆手机号码',
  'IDENTITY.PLATE_EMPTY': '请填写车牌号',
  'IDENTITY.PLATE_INVALID': '车牌号格式不正确，请核对（新能源车牌为 8 位）',
  'IDENTITY.PLATE_MILITARY': '军队、武警车辆的交通违法请到军队或武警相关部门处理，本窗口不受理',
  'IDENTITY.VIN_EMPTY': '请填写车架号（17 位，见合格证或购车发票）',
  'IDENTITY.VIN_FORMAT': '车架号为 17 位字母和数字（不含 I、O、Q），请核对',
  'IDENTITY.VIN_CHECK_DIGIT': '车架号第 9 位校验位不正确，请逐位核对',
  'IDENTITY.VIN_NOT_ALLOWED': '只有扣车类的未上牌车辆可以不填车牌号，请填写车牌号',
  'IDENTITY.VIN_AND_PLATE': '已上牌的车辆请填写车牌号，不必填写车架号',
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
  'WAITLIST.NOT_SOLD_OUT': '现在还有可预约的号，请直接选择日期预约',
  'PERSON.NOT_FOUND': '未找到该办理人，请重新填写办理人信息',
  'REMINDER.TOO_LATE': '办理时间已到，不能再开启提醒',
  'BLACKLIST.SUSPENDED': '因多次预约未到场，您暂时不能预约',
  'BLACKLIST.ACCOUNT_SUSPENDED': '本微信号为他人预约后多次未到场，暂时不能预约',
  // R16: tells nothing about the person; it points to what the citizen can do: check the number, another
  // day, or — the ID being their own — 实名认证 on 我的, after which they are told why (R15).
  'BOOKING.PERSON_UNAVAILABLE':
    '该证件号码暂不能预约此日，请核对证件号码或选择其他日期；如是您本人的证件，可在“我的”完成实名认证后查看原因',
  // The server appends until when (the next China midnight).
  'BOOKING.SLOWED': '本微信号今天多次提交了无法预约的证件号码，暂停预约',
  // R17: each of these four is told with until when, appended by the server (`（至 12月16日 10:30）`,
  // `untilNote` in server/domain/china-time.ts).
  'BOOKING.CANCEL_LIMIT': '本微信号近期取消或改约次数过多，暂时不能预约或改约',
  'BOOKING.PERSON_CANCEL_LIMIT': '该办理人近期取消或改约次数过多，暂时不能预约或改约',
  'BOOKING.REBOOK_COOLDOWN': '该办理人刚取消或改约了这一天的预约，暂时不能再约这一天',
  'BOOKING.RELEASED_HOLD':
    '您刚取消或改约让出的号暂时不能由本微信号再约，请选择其他时段，或等限制结束后再约',
  'BOOKING.VERIFICATION_REQUIRED': '本办理点需先完成实名认证才能预约，请在“我的”进行实名认证',
  'VERIFY.UNAVAILABLE': '实名认证暂未开通，请稍后再试',
  'VERIFY.MISMATCH': '姓名、身份证号与您的微信实名信息不一致，请核对后重试',
  'VERIFY.NOT_DONE': '实名认证未完成，请重新认证',
  'VERIFY.NOT_HOLDER': '请先完成实名认证',
  'VERIFY.FAILED': '实名认证服务暂时不可用，请稍后重试',
  'CHECKIN.NOT_FOUND': '未找到该预约，请核对预约凭证或号码',
  'CHECKIN.WRONG_DAY': '不是该预约的办理日期，只能在预约当天签到',
  'CHECKIN.TOO_EARLY': '还未到签到时间',
  'CHECKIN.PAST': '该预约的办理时间已过，不能签到',
  'CHECKIN.ALREADY': '该预约已签到',
  'CHECKIN.CANCELLED': '该预约已取消，不能签到',
  'CHECKIN.OTHER_OFFICE': '该预约不在本办理点办理',
  'QUEUE.NOT_FOUND': '未找到该预约',
  'QUEUE.WRONG_STATUS': '该预约当前状态不能进行此操作',
  'QUEUE.CALL_LIMIT': '已达到叫号次数上限，请标记过号',
  'QUEUE.CALLS_REMAINING': '叫号次数未满，还不能标记过号',
  'QUEUE.REQUEUE_CLOSED': '该预约时段已结束或本业务不允许过号重排',
  'QUEUE.EMPTY': '暂无已签到待叫号的预约',
  'ADMIN.OFFICE_REQUIRED': '窗口人员和办理点管理员须指定办理点，市级管理员不指定办理点',
  'ADMIN.OFFICE_NOT_FOUND': '未找到该办理点',
  'ADMIN.LAST_CITY_ADMIN': '不能撤销最后一名市级管理员',
  'ADMIN.KEY_NOT_FOUND': '未找到该接口密钥',
  'ADMIN.CHANNEL_RESERVED': '该渠道名称为系统保留，请换一个',
  'ADMIN.CALENDAR_DATE_INVALID': '日期格式不正确，请按 2027-01-01 填写',
  'ADMIN.CALENDAR_DATE_OUTSIDE_YEAR': '日期不在所录入的年份内',
  'ADMIN.CALENDAR_DATE_REPEATED': '同一日期重复录入',
  'ADMIN.CALENDAR_HOLIDAY_AND_WORKDAY': '同一日期不能既是放假日又是调休上班日',
  'ADMIN.CALENDAR_WORKDAY_NOT_WEEKEND': '调休上班日应为周六或周日',
  'ADMIN.CALENDAR_NAME_INVALID': '节日名称须为 1-20 个字',
  'ADMIN.CALENDAR_EMPTY': '请至少录入一个放假日',
  'ADMIN.CALENDAR_LINE_INVALID':
    '无法识别该行，请按“2027-01-01 元旦 休”或“2027-02-20 春节 班”的格式填写',
  'ADMIN.ID_INVALID': '编号须为 2-40 位小写字母、数字或连字符',
  'ADMIN.NAME_INVALID': '名称须为 1-20 个字',
  'ADMIN.TEXT_TOO_LONG': '内容过长，请精简',
  'ADMIN.COORDINATES_INVALID': '经纬度不正确',
  'ADMIN.PREFIX_INVALID': '号码前缀须为 1-2 个大写字母',
  'ADMIN.PREFIX_TAKEN': '该办理点已有业务使用此号码前缀',
  'ADMIN.TIME_INVALID': '时间须为 HH:mm 格式，如 09:00',
  'ADMIN.PERIODS_EMPTY': '至少需要一个时段',
  'ADMIN.PERIOD_ID_INVALID': '时段编号须为 1-8 位小写字母或数字，且不能重复',
  'ADMIN.PERIOD_TIMES': '时段的结束时间须晚于开始时间，且时段之间不能重叠',
  'ADMIN.RANGE_INVALID': '号码范围须在 001-999 之内，且起始号不大于结束号',
  'ADMIN.RANGE_OVERLAP': '各时段的号码范围不能重叠',
  'ADMIN.WEEKDAYS_INVALID': '请选择开放的星期，且不能重复',
  'ADMIN.CATEGORIES_INVALID': '请至少选择一个违法类别，且不能重复',
  'ADMIN.NUMBER_OUT_OF_RANGE': '数值超出允许范围',
  'ADMIN.VERIFICATION_UNAVAILABLE': '尚未开通实名认证方式，不能要求预约前先实名认证',
  'ADMIN.MATERIALS_INVALID': '材料须为 1-20 项，每项名称 1-20 个字、说明不超过 40 个字',
  'ADMIN.SERVICE_NOT_FOUND': '未找到该业务',
  'ADMIN.SERVICE_OFFICE_FIXED': '业务不能移到其他办理点',
  'ADMIN.REASON_INVALID': '请填写原因（2-20 个字）',
  'ADMIN.CLOSE_PAST': '不能停办已经过去的日期',
  'ADMIN.STATS_RANGE': '结束日期不能早于开始日期',
  'ADMIN.STATS_RANGE_TOO_LONG': '统计范围最长 366 天，请缩短日期范围',
  'ADMIN.INVITATION_NOT_FOUND': '未找到该邀请码',
  'ADMIN.ALREADY_BOOTSTRAPPED':
    '已有市级管理员，不能再初始化：请由市级管理员在 管理 → 人员权限 生成邀请码',
  'INVITE.INVALID': '邀请码不正确，请核对后重新输入',
  'INVITE.EXPIRED': '邀请码已过期（有效期 24 小时），请联系管理员重新生成',
  'INVITE.USED': '该邀请码已被使用，每个邀请码只能使用一次，请联系管理员重新生成',
  'INVITE.BOOTSTRAP_CLOSED': '已有市级管理员，此初始化邀请码已失效，请联系市级管理员邀请',
  'INVITE.TOO_MANY_ATTEMPTS': '今天输入邀请码的次数过多，请明天再试或联系管理员',
  'API.AUTH_MISSING': '缺少签名请求头（X-Key-Id、X-Timestamp、X-Nonce、X-Signature）',
  'API.KEY_UNKNOWN': '接口密钥不存在',
  'API.KEY_REVOKED': '接口密钥已停用',
  'API.SIGNATURE_INVALID': '签名不正确',
  'API.TIMESTAMP_SKEW': '请求时间与服务器时间相差超过 300 秒',
  'API.NONCE_REPLAYED': '该请求已处理过（随机数重复）',
  'API.SCOPE_MISSING': '接口密钥没有该操作的权限',
  'API.OFFICE_FORBIDDEN': '接口密钥不能操作其他办理点的业务',
  'API.RATE_LIMITED': '请求过于频繁，请稍后再试',
  'API.ROUTE_NOT_FOUND': '接口地址不存在',
  'API.METHOD_NOT_ALLOWED': '接口不支持该请求方法',
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
    // A refusal is an answer, not a fault: nothing reads its stack (logFailure logs a fault's message
    // only), and capturing one was a measurable part of a sold-out refusal's CPU in a warm instance (issue 16).
    // (V8's `Error.stackTraceLimit`, typed here because the mini program's typings, which share this
    // file for its messages, do not declare it.)
    const engine = Error as { stackTraceLimit?: number };
    const limit = engine.stackTraceLimit;
    engine.stackTraceLimit = 0;
    super(code);
    engine.stackTraceLimit = limit;
    this.name = 'AppError';
  }

  toApiError(): ApiError {
    const message = this.detail
      ? `${ERROR_MESSAGES[this.code]}${this.detail}`
      : ERROR_MESSAGES[this.code];
    // The last guard of every answer: a field that does not read as one (echoed input) is left out.
    return this.field !== undefined && isFieldName(this.field)
      ? { code: this.code, message, field: this.field }
      : { code: this.code, message };
  }
}

/** `person.phone`, `periods.0.from`: dotted names of letters, digits and `_`, 64 characters at most. */
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*$/;

/** Whether `text` may go back to a caller as `error.field`: bounded, and nothing but a field's name. */
export function isFieldName(text: string): boolean {
  return text.length <= 64 && FIELD_NAME.test(text);
}

export function apiError(code: ErrorCode, field?: string): ApiError {
  return new AppError(code, field).toApiError();
}
