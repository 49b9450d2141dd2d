/**
 * A function folder as the local cloud reads it on every invocation (local-cloud/src/runtime/functions.ts):
 * what was deployed last is what runs. The folder's reading is remembered between invocations (issue 16:
 * re-reading config.json on each call cost the local cloud's thread more than a sold-out refusal's
 * database work), so these check that every kind of redeploy is still seen by the very next read: a new
 * index.js, a changed config.json, one added or removed, one made unreadable and mended, the function
 * removed, and a rewrite whose stamps (mtime, size) look unchanged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FunctionConfigError, readFunction } from '../../local-cloud/src/runtime/functions';

let root: string;
let dir: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'lc-deploy-'));
  dir = path.join(root, 'hello');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'index.js'), 'exports.main = async () => 1;\n');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ timeout: 5 }));
  // Deployed a minute ago: a folder modified within the last 2 s is read again every time (below).
  const minuteAgo = new Date(Date.now() - 60_000);
  for (const file of ['index.js', 'config.json']) {
    fs.utimesSync(path.join(dir, file), minuteAgo, minuteAgo);
  }
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** A redeploy writes the file anew: its modification time moves on even within the same millisecond. */
function redeploy(file: string, text: string): void {
  fs.writeFileSync(path.join(dir, file), text);
  const later = new Date(Date.now() + 1_000);
  fs.utimesSync(path.join(dir, file), later, later);
}

describe('a function folder read again after a redeploy', () => {
  it('answers the same reading while nothing changed', () => {
    const first = readFunction(root, 'hello');
    expect(first?.config.timeoutMs).toBe(5_000);
    expect(readFunction(root, 'hello')).toBe(first);
  });

  it('sees a new index.js: a new version, so warm instances of the old one retire', () => {
    const before = readFunction(root, 'hello');
    redeploy('index.js', 'exports.main = async () => 2;\n');
    const after = readFunction(root, 'hello');
    expect(after?.version).not.toBe(before?.version);
  });

  it('sees a changed config.json at once (its timeout), and one removed (the default 3 s)', () => {
    expect(readFunction(root, 'hello')?.config.timeoutMs).toBe(5_000);
    redeploy('config.json', JSON.stringify({ timeout: 7 }));
    expect(readFunction(root, 'hello')?.config.timeoutMs).toBe(7_000);
    fs.rmSync(path.join(dir, 'config.json'));
    expect(readFunction(root, 'hello')?.config.timeoutMs).toBe(3_000);
    redeploy('config.json', JSON.stringify({ timeout: 9 }));
    expect(readFunction(root, 'hello')?.config.timeoutMs).toBe(9_000);
  });

  it('refuses an unreadable config.json on every read until it is mended', () => {
    readFunction(root, 'hello');
    redeploy('config.json', '{ not json');
    expect(() => readFunction(root, 'hello')).toThrow(FunctionConfigError);
    expect(() => readFunction(root, 'hello')).toThrow(FunctionConfigError);
    redeploy('config.json', JSON.stringify({ timeout: 4 }));
    expect(readFunction(root, 'hello')?.config.timeoutMs).toBe(4_000);
  });

  it('sees a rewrite its stamps cannot tell apart (same size, same coarse mtime) while the file is recent', () => {
    const file = path.join(dir, 'config.json');
    const mtime = new Date(Date.now() - 500);
    fs.writeFileSync(file, JSON.stringify({ timeout: 5 }));
    fs.utimesSync(file, mtime, mtime);
    const before = readFunction(root, 'hello');
    expect(before?.config.timeoutMs).toBe(5_000);
    // The kernel stamps files from a clock of a few ms: a second write that close keeps the mtime.
    fs.writeFileSync(file, JSON.stringify({ timeout: 6 }));
    fs.utimesSync(file, mtime, mtime);
    const after = readFunction(root, 'hello');
    expect(after?.config.timeoutMs).toBe(6_000);
    expect(after?.version).not.toBe(before?.version);
  });

  it('finds no function once its index.js is gone, and finds it again when it is back', () => {
    expect(readFunction(root, 'hello')).toBeDefined();
    fs.rmSync(path.join(dir, 'index.js'));
    expect(readFunction(root, 'hello')).toBeUndefined();
    redeploy('index.js', 'exports.main = async () => 3;\n');
    expect(readFunction(root, 'hello')?.config.timeoutMs).toBe(5_000);
  });
});
