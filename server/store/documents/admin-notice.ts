/** `adminNotices`: administrators' one-time subscriptions to a notice (R2: a missing calendar year). */
import type { NoticeTopic } from '../../../typings/admin';
import type { Delivery } from './delivery';

export type AdminNoticeState = 'pending' | 'sent' | 'not_subscribed' | 'failed';

/** One account's subscription to one topic; `_id` `<topic>|<openid>` (one each). */
export interface AdminNoticeDoc {
  _id: string;
  openid: string;
  topic: NoticeTopic;
  createdAt: number;
  updatedAt: number;
  /** `pending` while a notice is owed (the consent is unused); the delivery protocol of docs/jobs.md. */
  delivery: Delivery<AdminNoticeState>;
}

export function adminNoticeId(topic: NoticeTopic, openid: string): string {
  return `${topic}|${openid}`;
}
