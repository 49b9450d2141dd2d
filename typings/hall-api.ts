/**
 * The hall API (`hall-api`, an HTTP-triggered function): what the queue-calling system (叫号系统) and other
 * channels (R12) send and get. JSON over HTTP; docs/hall-api.md and docs/hall-api.openapi.yaml describe
 * the routes, the signature and each refusal.
 *
 * Every request carries `X-Key-Id`, `X-Timestamp` (Unix seconds), `X-Nonce` and `X-Signature`: lowercase
 * hex HMAC-SHA256 with the key's secret over
 * `METHOD + "\n" + path-with-query + "\n" + timestamp + "\n" + nonce + "\n" + sha256-hex(body)`.
 */
import type { Booking, DateString, ErrorCode, PersonInput } from './api';
import type { QueueEvent, QueueRow } from './staff';

/** `GET /v1/services/{serviceId}/days/{date}/bookings[?since=<cursor>]` */
export interface HallDayResponse {
  serviceId: string;
  date: DateString;
  /**
   * Rows as the staff `today` gives them. With `since`, only rows changed after the cursor — and possibly
   * a few changed just before it again (the window overlaps, so no change is ever skipped): apply by `id`.
   */
  bookings: QueueRow[];
  /** Opaque; pass it as `since` on the next poll. */
  cursor: string;
}

/** `POST /v1/services/{serviceId}/days/{date}/numbers/{number}/events`; answers the row after it. */
export interface HallEventRequest {
  event: QueueEvent;
  /** For `call`: the window shown on the call display, e.g. `3号窗口`. */
  window?: string;
}
export type HallEventResponse = QueueRow;

/** `POST /v1/bookings`: the same rules and code as the mini program's `book`, idempotent by `requestId` per key. */
export interface HallBookRequest {
  serviceId: string;
  date: DateString;
  periodId?: string;
  person: PersonInput;
  requestId: string;
}
/** The booking as the citizen's channel shows it (masked data only; `passToken` for the QR pass). */
export type HallBookResponse = Booking;

/** `DELETE /v1/bookings/{id}`: only a booking this key made; the cancelled booking. */
export type HallCancelResponse = Booking;

/** Every refusal: an HTTP status that fits (400/401/403/404/405/409/429/500) and this body. */
export interface HallErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
}

/** `GET /v1/clock`: the function's clock, to sign with a timestamp it accepts. Needs no signature. */
export interface HallClockResponse {
  /** Unix seconds. */
  now: number;
}
