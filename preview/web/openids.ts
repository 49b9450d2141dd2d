/**
 * The WeChat users of this browser's preview: the demo OPENIDs and the ones typed in the toolbar
 * before, most recent first (kept in localStorage, shared by the shell and the phone's web view, which
 * are one origin). The scanner sheet looks for QR passes on these phones.
 */
import { DEMO_OPENIDS } from './protocol';

const KEY = 'preview:openids';
const KEEP = 12;

export function recentOpenids(): string[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Remembers `openid` as the latest used. */
export function rememberOpenid(openid: string): void {
  const list = [openid, ...recentOpenids().filter((o) => o !== openid)].slice(0, KEEP);
  localStorage.setItem(KEY, JSON.stringify(list));
}

/** Every OPENID this preview knows: the recent ones first, then the demo ones. */
export function knownOpenids(): string[] {
  return [...new Set([...recentOpenids(), ...DEMO_OPENIDS])];
}
