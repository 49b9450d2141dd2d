/**
 * WeChat's two real-name facilities for government mini programs, as the server side of a mini program
 * meets them (issue 15; server/identity/verifier.ts is the caller). Neither is reachable by 云调用, so
 * the function calls api.weixin.qq.com over HTTPS with an access token; here the same paths answer under
 * `<local cloud>/wxapi` (the functions get `WX_API_BASE` pointing there):
 *
 * - `POST /cgi-bin/stable_token` `{ grant_type: 'client_credential', appid, secret, force_refresh? }` →
 *   `{ access_token, expires_in: 7200 }`; a wrong app id or secret → errcode 40013 / 40125.
 * - `POST /intp/realname/checkrealnameinfo?access_token=` `{ openid, real_name, cred_id, cred_type, code }`
 *   → `verify_openid` (`V_OP_NA` the account has no real name, `V_OP_NM_MA` / `V_OP_NM_UM` the name
 *   matches it or not) and, when the name matches, `verify_real_name` (`V_NM_ID_MA` / `V_NM_ID_UM`).
 *   The `code` is what WeChat's consent page returned to that account: single use, 5 minutes (our
 *   choice; the documentation gives no lifetime); any other → errcode 40029 (invalid code).
 * - `POST /cityservice/face/identify/getverifyid?access_token=` `{ out_seq_no, cert_info: { cert_type,
 *   cert_name, cert_no }, openid }` → `{ verify_id, expires_in: 3600 }`; out_seq_no must be 5–32 of
 *   `[A-Za-z0-9_-]` and unused (errcode 40097 otherwise).
 * - `POST /cityservice/face/identify/queryverifyinfo?access_token=` `{ verify_id, out_seq_no, cert_hash,
 *   openid }` → `{ verify_ret }`; out_seq_no, openid or cert_hash differing from getVerifyId's → errcode
 *   40097 (the documentation: "不一致则返回对应的errcode而不是verify_ret"). `verify_ret` is 10000 once the
 *   face check passed; 90002 (用户取消) while it has not run, and 90011 when the face at the camera was not
 *   the person of cert_info (our choices: the documented enum names no "someone else" value).
 *
 * What WeChat knows and the phone does is set through the control endpoints (local-cloud/README.md):
 * which real name each account has (`POST /realname/identities`, its WeChat Pay real name and the face at
 * its camera), the consent page's answer (`POST /realname/authorize` → a code) and the face check
 * (`POST /realname/face`). In memory only: a restart forgets them, as a new phone would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { HttpError } from '../http';

const CODE_TTL_MS = 5 * 60_000;
const VERIFY_TTL_MS = 3600_000;
const TOKEN_TTL_S = 7200;
const SEQ_NO = /^[A-Za-z0-9_-]{5,32}$/;

interface Identity {
  name: string;
  idNumber: string;
}

interface FaceSession {
  outSeqNo: string;
  openid: string;
  certName: string;
  certNo: string;
  expiresAt: number;
  verifyRet: number;
}

export type WxAnswer = Record<string, unknown>;

const err = (errcode: number, errmsg: string): WxAnswer => ({ errcode, errmsg });

/** `cert_hash` as the documentation computes it (each value Base64, joined, SHA-256 hex). */
function certHash(name: string, no: string): string {
  const b64 = (v: string): string => Buffer.from(v, 'utf8').toString('base64');
  return createHash('sha256')
    .update(`cert_type=${b64('IDENTITY_CARD')}&cert_name=${b64(name)}&cert_no=${b64(no)}`)
    .digest('hex');
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class RealNameChecks {
  private readonly identities = new Map<string, Identity>();
  private readonly codes = new Map<string, { openid: string; expiresAt: number }>();
  private readonly tokens = new Set<string>();
  private readonly sessions = new Map<string, FaceSession>();
  private readonly seqNos = new Set<string>();

  constructor(
    private readonly appId: string,
    private readonly appSecret: () => string | undefined,
    private readonly now: () => number,
  ) {}

  /** The account's real name (WeChat Pay's, and the face at its camera). */
  register(openid: string, identity: Identity): void {
    this.identities.set(openid, identity);
  }

  /** The consent page of 城市服务实名信息校验 tapped 同意 by `openid`: the `code` of `extraData`. */
  authorize(openid: string): string {
    const code = randomBytes(16).toString('hex');
    this.codes.set(code, { openid, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  /** `wx.requestFacialVerify({ verifyId })` run by `openid`: whose face is at the camera decides. */
  face(openid: string, verifyId: string): { verifyRet: number } {
    const s = this.sessions.get(verifyId);
    if (!s || s.openid !== openid || s.expiresAt < this.now())
      throw new HttpError(400, 'no such verifyId for this openid (expired?)');
    const who = this.identities.get(openid);
    s.verifyRet = who && who.name === s.certName && who.idNumber === s.certNo ? 10000 : 90011;
    return { verifyRet: s.verifyRet };
  }

  /** WeChat's server API: `path` under api.weixin.qq.com, the query's access_token, the JSON body. */
  api(path: string, token: string | null, body: Record<string, unknown>): WxAnswer {
    if (path === '/cgi-bin/stable_token') return this.stableToken(body);
    const routes: Record<string, (b: Record<string, unknown>) => WxAnswer> = {
      '/intp/realname/checkrealnameinfo': (b) => this.checkRealName(b),
      '/cityservice/face/identify/getverifyid': (b) => this.getVerifyId(b),
      '/cityservice/face/identify/queryverifyinfo': (b) => this.queryVerifyInfo(b),
    };
    const route = routes[path];
    if (!route) return err(40066, 'invalid url');
    if (token === null || !this.tokens.has(token))
      return err(40001, 'invalid credential, access_token is invalid or not latest');
    return route(body);
  }

  private stableToken(b: Record<string, unknown>): WxAnswer {
    if (b.grant_type !== 'client_credential') return err(40002, 'invalid grant_type');
    if (b.appid !== this.appId) return err(40013, 'invalid appid');
    const secret = this.appSecret();
    if (secret === undefined || b.secret !== secret) return err(40125, 'invalid appsecret');
    const token = randomBytes(24).toString('base64url');
    this.tokens.add(token);
    return { access_token: token, expires_in: TOKEN_TTL_S };
  }

  private checkRealName(b: Record<string, unknown>): WxAnswer {
    const openid = str(b.openid);
    const name = str(b.real_name);
    const credId = str(b.cred_id);
    const code = str(b.code);
    if (!openid || !name || !credId || !code || b.cred_type !== '1')
      return err(40097, 'invalid args');
    const issued = this.codes.get(code);
    this.codes.delete(code);
    if (!issued || issued.openid !== openid || issued.expiresAt < this.now())
      return err(40029, 'invalid code');
    const who = this.identities.get(openid);
    if (!who) return { errcode: 0, errmsg: 'ok', verify_openid: 'V_OP_NA' };
    if (who.name !== name) return { errcode: 0, errmsg: 'ok', verify_openid: 'V_OP_NM_UM' };
    return {
      errcode: 0,
      errmsg: 'ok',
      verify_openid: 'V_OP_NM_MA',
      verify_real_name: who.idNumber === credId ? 'V_NM_ID_MA' : 'V_NM_ID_UM',
    };
  }

  private getVerifyId(b: Record<string, unknown>): WxAnswer {
    const outSeqNo = str(b.out_seq_no);
    const openid = str(b.openid);
    const cert = b.cert_info;
    if (!outSeqNo || !SEQ_NO.test(outSeqNo) || this.seqNos.has(outSeqNo) || !openid)
      return err(40097, 'invalid args');
    if (typeof cert !== 'object' || cert === null) return err(40097, 'invalid args');
    const {
      cert_type: type,
      cert_name: certName,
      cert_no: certNo,
    } = cert as Record<string, unknown>;
    if (type !== 'IDENTITY_CARD' || typeof certName !== 'string' || typeof certNo !== 'string')
      return err(40097, 'invalid args');
    this.seqNos.add(outSeqNo);
    const verifyId = randomBytes(24).toString('hex');
    this.sessions.set(verifyId, {
      outSeqNo,
      openid,
      certName,
      certNo,
      expiresAt: this.now() + VERIFY_TTL_MS,
      verifyRet: 90002,
    });
    return { errcode: 0, errmsg: 'ok', verify_id: verifyId, expires_in: VERIFY_TTL_MS / 1000 };
  }

  private queryVerifyInfo(b: Record<string, unknown>): WxAnswer {
    const s = this.sessions.get(str(b.verify_id) ?? '');
    if (
      !s ||
      s.outSeqNo !== b.out_seq_no ||
      s.openid !== b.openid ||
      certHash(s.certName, s.certNo) !== b.cert_hash
    )
      return err(40097, 'invalid args');
    return { errcode: 0, errmsg: 'ok', verify_ret: s.verifyRet };
  }
}
