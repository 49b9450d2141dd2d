/** `waitlist` (R11): accounts waiting for numbers of a service. */
import type { Delivery } from './delivery';

export type WaitState = 'pending' | 'sent' | 'not_subscribed' | 'failed' | 'cancelled';

/** R11: one account waiting for numbers of one service; `_id` is derived from both (one entry each). */
export interface WaitlistDoc {
  _id: string;
  openid: string;
  serviceId: string;
  /** First come first served: the oldest waiting entries are told first. */
  createdAt: number;
  updatedAt: number;
  /** `pending` while waiting; `cancelled` when the citizen withdrew. */
  delivery: Delivery<WaitState>;
}
