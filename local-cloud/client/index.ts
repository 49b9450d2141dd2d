/**
 * The local cloud's client: what a test, a benchmark or a tool uses to start a local cloud, reach it the
 * way the mini program and `wx-server-sdk` do, and drive what only an emulator has (its clock, outbox,
 * statistics). The product's own helpers (test people, typed calls of our functions) live beside the
 * product's tests, not here.
 */
export * from './control';
export * from './db';
export * from './functions';
export * from './http';
export * from './sdk';
export * from './start';
export type { OutboxMessage, SubscriptionCount } from '../src/openapi/subscribe';
export type { FiredTrigger, InvokeOutcome } from '../src/runtime/types';
export type { ClockAnswer, ClockSetAnswer, Stats, TriggerRunAnswer } from '../src/server';
