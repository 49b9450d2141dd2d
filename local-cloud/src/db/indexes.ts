/**
 * Unique indexes from `server/database/schema.json`, enforced as MongoDB (which backs the platform's
 * database) enforces them:
 * - a document missing an indexed field is indexed under null, so two documents both missing it collide;
 * - an array value is indexed once per element (multikey), and one document may repeat a value;
 * - a compound index refuses only when every field's value is equal;
 * - values compare by type and value (1 and "1" differ, 1 and 1.0 do not, dates by their time).
 * The implicit `_id_` index is the collection's document map itself.
 * https://www.mongodb.com/docs/manual/core/index-unique/ ("Missing Document Field in a Unique Index")
 */
import type { Doc, Value } from './ejson';
import { isPlainObject } from './ejson';

export interface IndexSpec {
  name: string;
  fields: string[];
}

/** A canonical, type-tagged text for a value: equal texts iff MongoDB sees the values as equal. */
export function canonical(value: Value | undefined): string {
  if (value === undefined || value === null) return 'n';
  if (typeof value === 'number') return `d${Object.is(value, -0) ? 0 : value}`;
  if (typeof value === 'string') return `s${JSON.stringify(value)}`;
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  if (value instanceof Date) return `t${value.getTime()}`;
  if (value instanceof RegExp) return `r${JSON.stringify([value.source, value.flags])}`;
  if (Array.isArray(value)) return `a[${value.map(canonical).join(',')}]`;
  return `o{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
    .join(',')}}`;
}

/** How MongoDB prints a key value in an E11000 message. */
export function render(value: Value | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The values a dotted path reaches, arrays expanded at every level; [undefined] when it reaches none. */
export function pathValues(doc: Value, path: string): (Value | undefined)[] {
  let current: (Value | undefined)[] = [doc];
  for (const part of path.split('.')) {
    const next: (Value | undefined)[] = [];
    for (const value of current) {
      if (Array.isArray(value)) {
        const index = /^\d+$/.test(part) ? Number(part) : -1;
        if (index >= 0) next.push(value[index]);
        else for (const item of value) if (isPlainObject(item)) next.push(item[part]);
      } else if (isPlainObject(value)) {
        next.push(value[part]);
      }
    }
    current = next;
  }
  const expanded: (Value | undefined)[] = [];
  for (const value of current) {
    if (Array.isArray(value)) {
      if (value.length === 0) expanded.push(undefined);
      else expanded.push(...value);
    } else if (value !== undefined) {
      expanded.push(value);
    }
  }
  return expanded.length === 0 ? [undefined] : expanded;
}

export interface IndexKey {
  /** The canonical text the index is keyed on. */
  text: string;
  /** Field → value as rendered in an E11000 message. */
  shown: [field: string, value: string][];
}

/** Every key a document contributes to one unique index (one per combination of array elements). */
export function indexKeys(spec: IndexSpec, doc: Doc): IndexKey[] {
  let combos: { parts: string[]; shown: [string, string][] }[] = [{ parts: [], shown: [] }];
  for (const field of spec.fields) {
    const values = pathValues(doc, field);
    const next: typeof combos = [];
    for (const combo of combos) {
      for (const value of values) {
        next.push({
          parts: [...combo.parts, canonical(value)],
          shown: [...combo.shown, [field, render(value)]],
        });
      }
    }
    combos = next;
  }
  const unique = new Map<string, IndexKey>();
  for (const combo of combos) {
    const text = combo.parts.join('\u0001');
    if (!unique.has(text)) unique.set(text, { text, shown: combo.shown });
  }
  return [...unique.values()];
}

/** One unique index over the committed documents of a collection: key text → owner's id key. */
export class UniqueIndex {
  private readonly owners = new Map<string, string>();

  constructor(readonly spec: IndexSpec) {}

  owner(keyText: string): string | undefined {
    return this.owners.get(keyText);
  }

  add(idKey: string, doc: Doc): void {
    for (const key of indexKeys(this.spec, doc)) this.owners.set(key.text, idKey);
  }

  remove(idKey: string, doc: Doc): void {
    for (const key of indexKeys(this.spec, doc)) {
      if (this.owners.get(key.text) === idKey) this.owners.delete(key.text);
    }
  }
}
