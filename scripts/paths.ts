import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const MINIPROGRAM = path.join(ROOT, 'miniprogram');
export const CLOUDFUNCTIONS = path.join(ROOT, 'cloudfunctions');
export const SERVER_FUNCTIONS = path.join(ROOT, 'server', 'functions');
