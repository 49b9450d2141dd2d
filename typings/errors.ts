/**
 * Stable error codes (`AREA.REASON`) of every server entry. The Chinese message a citizen sees for each
 * code lives in one table on the server side (server/shared/errors.ts), keyed by this union.
 */
export type ErrorCode =
  | 'REQUEST.INVALID'
  | 'REQUEST.UNKNOWN_ACTION'
  | 'AUTH.NO_IDENTITY'
  | 'IDENTITY.NAME_EMPTY'
  | 'IDENTITY.NAME_DIGITS'
  | 'IDENTITY.NAME_CHARS'
  | 'IDENTITY.NAME_INVALID'
  | 'IDENTITY.ID_EMPTY'
  | 'IDENTITY.ID_FORMAT'
  | 'IDENTITY.ID_OLD_15'
  | 'IDENTITY.ID_PROVINCE'
  | 'IDENTITY.ID_BIRTH_DATE'
  | 'IDENTITY.ID_CHECK_DIGIT'
  | 'IDENTITY.PHONE_EMPTY'
  | 'IDENTITY.PHONE_INVALID'
  | 'IDENTITY.PLATE_EMPTY'
  | 'IDENTITY.PLATE_INVALID'
  | 'IDENTITY.PLATE_MILITARY'
  | 'IDENTITY.VIN_EMPTY'
  | 'IDENTITY.VIN_FORMAT'
  | 'IDENTITY.VIN_CHECK_DIGIT'
  | 'IDENTITY.VIN_NOT_ALLOWED'
  | 'IDENTITY.VIN_AND_PLATE'
  | 'IDENTITY.CATEGORY_INVALID'
  | 'CATALOGUE.SERVICE_NOT_FOUND'
  | 'CALENDAR.DATE_INVALID'
  | 'CALENDAR.SAME_DAY'
  | 'CALENDAR.OUT_OF_HORIZON'
  | 'CALENDAR.CLOSED'
  | 'CALENDAR.NOT_RELEASED'
  | 'QUOTA.PERIOD_NOT_FOUND'
  | 'QUOTA.SOLD_OUT'
  | 'QUOTA.PERIOD_FULL'
  | 'BOOKING.PERSON_ALREADY_BOOKED'
  | 'BOOKING.ACCOUNT_LIMIT'
  | 'BOOKING.NOT_FOUND'
  | 'BOOKING.NOT_ACTIVE'
  | 'BOOKING.CUTOFF_PASSED'
  | 'BOOKING.SAME_SLOT'
  | 'BOOKING.REQUEST_REUSED'
  | 'WAITLIST.NOT_SOLD_OUT'
  | 'BLACKLIST.SUSPENDED'
  | 'CHECKIN.NOT_FOUND'
  | 'CHECKIN.WRONG_DAY'
  | 'CHECKIN.TOO_EARLY'
  | 'CHECKIN.PAST'
  | 'CHECKIN.ALREADY'
  | 'CHECKIN.CANCELLED'
  | 'CHECKIN.OTHER_OFFICE'
  | 'QUEUE.NOT_FOUND'
  | 'QUEUE.WRONG_STATUS'
  | 'QUEUE.CALL_LIMIT'
  | 'QUEUE.CALLS_REMAINING'
  | 'QUEUE.REQUEUE_CLOSED'
  | 'QUEUE.EMPTY'
  | 'ADMIN.OFFICE_REQUIRED'
  | 'ADMIN.OFFICE_NOT_FOUND'
  | 'ADMIN.LAST_CITY_ADMIN'
  | 'ADMIN.KEY_NOT_FOUND'
  | 'ADMIN.CHANNEL_RESERVED'
  | 'API.AUTH_MISSING'
  | 'API.KEY_UNKNOWN'
  | 'API.KEY_REVOKED'
  | 'API.SIGNATURE_INVALID'
  | 'API.TIMESTAMP_SKEW'
  | 'API.NONCE_REPLAYED'
  | 'API.SCOPE_MISSING'
  | 'API.OFFICE_FORBIDDEN'
  | 'API.RATE_LIMITED'
  | 'API.ROUTE_NOT_FOUND'
  | 'API.METHOD_NOT_ALLOWED'
  | 'SYSTEM.BUSY'
  | 'INTERNAL';

export interface ApiError {
  code: ErrorCode;
  /** A Chinese sentence a citizen understands; never raw exception text. */
  message: string;
  /**
   * Which request field is wrong, for showing the message under that field: a dotted name
   * (`person.phone`) of at most 64 characters. An unknown key that does not read as a name is never
   * sent back; the object holding it is named instead (or nothing, at the top level).
   */
  field?: string;
}
