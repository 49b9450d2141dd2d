/**
 * End-to-end test files run one at a time, even when jest hands them to parallel workers: each starts
 * Chromium, a local cloud and a preview server, and the machines are small and shared. A lock directory
 * in the temporary folder, named after this checkout, held from the file's first test to its last; a
 * lock left by a process that died is taken over.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../../../local-cloud/client';

const LOCK = path.join(
  os.tmpdir(),
  `e2e-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}.lock`,
);
const OWNER = path.join(LOCK, 'pid');

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function acquire(): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      fs.writeFileSync(OWNER, String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(OWNER, 'utf8'));
    } catch {
      // Being created or removed right now: look again shortly.
    }
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      fs.rmSync(LOCK, { recursive: true, force: true });
      continue;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function release(): void {
  try {
    if (Number(fs.readFileSync(OWNER, 'utf8')) === process.pid) {
      fs.rmSync(LOCK, { recursive: true, force: true });
    }
  } catch {
    // Not ours, or already gone.
  }
}

/** Call at the top of an e2e test file. */
export function oneFileAtATime(): void {
  beforeAll(acquire, 15 * 60_000);
  afterAll(release);
}
