/**
 * The environment wx-server-sdk@4 needs to talk to the local cloud instead of Tencent: `TCB_CONTEXT_CNFG.URL`
 * replaces the API endpoint, dummy keys satisfy its credential check (nothing verifies the signature),
 * `TENCENTCLOUD=true` stops it probing the metadata server, and `TCB_ENV`/`SCF_NAMESPACE` are what
 * `DYNAMIC_CURRENT_ENV` resolves to.
 */
export const DEFAULT_ENV_ID = 'local';
export const DEFAULT_APPID = 'wx0000000000000000';
export const DEFAULT_PORT = 3210;

export function sdkEnv(adminUrl: string, envId: string): Record<string, string> {
  return {
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: adminUrl }),
    TENCENTCLOUD: 'true',
    TENCENTCLOUD_SECRETID: 'local-cloud',
    TENCENTCLOUD_SECRETKEY: 'local-cloud',
    TCB_ENV: envId,
    SCF_NAMESPACE: envId,
  };
}

/** What `npm run -s local-cloud:env` exports for a server at `baseUrl`. */
export function clientEnv(baseUrl: string, envId: string): Record<string, string> {
  return { LOCALCLOUD_URL: baseUrl, ...sdkEnv(`${baseUrl}/admin`, envId) };
}
