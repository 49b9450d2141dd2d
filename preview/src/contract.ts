/**
 * The browser side (web/, no Node types) restates the shapes the local cloud answers; these checks make
 * `tsc -p preview` fail when the two drift apart (STYLE: two hand-written interfaces for one wire
 * contract drift).
 */
import type {
  ClockAnswer,
  FiredTrigger as CloudFiredTrigger,
  OutboxMessage as CloudOutboxMessage,
  SubscriptionCount,
} from '../../local-cloud/client';
import type { Clock, FiredTrigger } from '../web/cloud';
import type { Consent, OutboxMessage } from '../web/protocol';

type Assert<T extends true> = T;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** What the browser reads must be part of what the cloud sends. */
type Reads<Sent, Read> = [Sent] extends [Read] ? true : false;

export type OutboxMatches = Assert<Reads<CloudOutboxMessage, OutboxMessage>>;
export type ConsentMatches = Assert<Same<SubscriptionCount, Consent>>;
export type ClockMatches = Assert<Same<ClockAnswer, Clock>>;
export type FiredTriggerMatches = Assert<Same<CloudFiredTrigger, FiredTrigger>>;
