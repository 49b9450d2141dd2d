/**
 * A document id as the key of a collection's map and indexes: `_id` may be a string or a number, and "1"
 * is not 1.
 */
import type { Value } from './ejson';

export type IdKey = string;

export function idKeyOf(id: Value | undefined): IdKey {
  if (typeof id === 'string') return `s${id}`;
  if (typeof id === 'number') return `d${id}`;
  throw new Error('document ids are strings or numbers');
}
