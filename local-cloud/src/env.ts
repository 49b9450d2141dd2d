/**
 * `npm run -s local-cloud:env` prints `export NAME=value` lines; after `eval "$(npm run -s local-cloud:env)"`
 * any Node process with `cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })` uses the local cloud on
 * ${LOCALCLOUD_PORT:-3210}.
 */
import { clientEnv, DEFAULT_ENV_ID, DEFAULT_PORT } from './sdk-env';

/** Single-quoted for POSIX shells (TCB_CONTEXT_CNFG is JSON). */
function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const port = process.env.LOCALCLOUD_PORT || String(DEFAULT_PORT);
const envId = process.env.LOCALCLOUD_ENV_ID || DEFAULT_ENV_ID;
for (const [name, value] of Object.entries(clientEnv(`http://127.0.0.1:${port}`, envId))) {
  console.log(`export ${name}=${shellQuote(value)}`);
}
