/**
 * Issue 15 实名认证: proving that a WeChat account is the holder of an ID number, with what WeChat offers
 * government mini programs. Two facilities behind one interface; which one the city has been granted is
 * configuration (`settings.identityMethod`):
 *
 * - 城市服务实名信息校验 (`realname`): the page opens WeChat's own consent page
 *   (`wx.navigateToMiniProgram` to `wx308bd2aeb83d3345` `subPages/city/wxpay-auth/main`), which returns a
 *   `code` in `extraData`; the server sends it with the name and ID to `intp/realname/checkrealnameinfo`,
 *   which says whether they match the account's WeChat Pay real name (`verify_openid` `V_OP_NM_MA` and
 *   `verify_real_name` `V_NM_ID_MA`). Documented, but WeChat answered in its community that it is paused
 *   for new applications ("此接口已暂停开放"): only a mini program already granted it can use it.
 * - 微信人脸核身 2.0 (`face`): `cityservice/face/identify/getverifyid` with the name and ID gives a
 *   `verify_id`; the page runs `wx.requestFacialVerify({ verifyId })`; the server asks
 *   `cityservice/face/identify/queryverifyinfo` (same `out_seq_no`, `openid` and a `cert_hash` of the
 *   name and ID): `verify_ret` 10000 is a pass. The 1.0 API (`wx.startFacialRecognitionVerify` and
 *   `getinfo` with `verify_result`) stopped on 2026-06-30, so only 2.0 is built.
 *
 * Neither is callable by 云调用: both need an access token (server/identity/wx-api.ts). The local cloud
 * emulates both (local-cloud/README.md, "Real-name checks").
 */
import { createHash, randomBytes } from 'node:crypto';
import type { IdentityStart } from '../../typings/api';
import { AppError } from '../shared/errors';
import { WxApiError, wxApi } from './wx-api';

/** WeChat's consent page of 城市服务实名信息校验. */
export const REALNAME_APP_ID = 'wx308bd2aeb83d3345';
export const REALNAME_PATH = 'subPages/city/wxpay-auth/main';

/** What the page proves with: the realname `code`, or the face check's `verifyId` and `session`. */
export interface Proof {
  code?: string;
  verifyId?: string;
  session?: string;
}

export interface Claimed {
  openid: string;
  name: string;
  idNumber: string;
  now: number;
}

export interface IdentityVerifier {
  readonly method: 'realname' | 'face';
  /** What the page needs to run the check. */
  start(who: Claimed): Promise<IdentityStart>;
  /** Whether WeChat confirms `who`; a refusal throws VERIFY.MISMATCH / VERIFY.NOT_DONE. */
  confirm(who: Claimed, proof: Proof): Promise<void>;
}

/** WeChat unreachable or answering an error: said as VERIFY.FAILED, the errcode kept for the log only. */
async function calling<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof WxApiError && err.errcode === 40029)
      throw new AppError('VERIFY.NOT_DONE', 'code');
    throw new AppError('VERIFY.FAILED');
  }
}

export const realNameVerifier: IdentityVerifier = {
  method: 'realname',
  start: () => Promise.resolve({ method: 'realname', appId: REALNAME_APP_ID, path: REALNAME_PATH }),
  async confirm(who, proof) {
    if (proof.code === undefined) throw new AppError('VERIFY.NOT_DONE', 'code');
    const code = proof.code;
    const answer = await calling(() =>
      wxApi(
        '/intp/realname/checkrealnameinfo',
        {
          openid: who.openid,
          real_name: who.name,
          cred_id: who.idNumber,
          cred_type: '1',
          code,
        },
        who.now,
      ),
    );
    // Several results are joined by ';' (the documentation); the account must match the name, the name the ID.
    const text = (v: unknown): string => (typeof v === 'string' ? v : '');
    const account = text(answer.verify_openid).split(';');
    const id = text(answer.verify_real_name).split(';');
    if (!account.includes('V_OP_NM_MA') || !id.includes('V_NM_ID_MA'))
      throw new AppError('VERIFY.MISMATCH', 'name');
  },
};

/** `cert_hash` of 人脸核身 2.0: SHA-256 (hex) of `cert_type=…&cert_name=…&cert_no=…`, each value Base64. */
export function certHash(name: string, idNumber: string): string {
  const b64 = (v: string): string => Buffer.from(v, 'utf8').toString('base64');
  return createHash('sha256')
    .update(`cert_type=${b64('IDENTITY_CARD')}&cert_name=${b64(name)}&cert_no=${b64(idNumber)}`)
    .digest('hex');
}

/** 人脸核身's `verify_ret` of a pass. */
const FACE_PASS = 10000;

export const faceVerifier: IdentityVerifier = {
  method: 'face',
  async start(who) {
    // Unique per app id, 5–32 of [A-Za-z0-9_-] (getVerifyId); carries nothing personal.
    const session = `v${randomBytes(12).toString('hex')}`;
    const answer = await calling(() =>
      wxApi(
        '/cityservice/face/identify/getverifyid',
        {
          out_seq_no: session,
          cert_info: { cert_type: 'IDENTITY_CARD', cert_name: who.name, cert_no: who.idNumber },
          openid: who.openid,
        },
        who.now,
      ),
    );
    const verifyId = answer.verify_id;
    if (typeof verifyId !== 'string' || verifyId === '') throw new AppError('VERIFY.FAILED');
    return { method: 'face', verifyId, session };
  },
  async confirm(who, proof) {
    const { verifyId, session } = proof;
    if (verifyId === undefined || session === undefined)
      throw new AppError('VERIFY.NOT_DONE', 'verifyId');
    // WeChat checks out_seq_no, openid and cert_hash against getVerifyId's: another person's name or ID
    // sent here is an errcode, not a pass.
    const answer = await calling(() =>
      wxApi(
        '/cityservice/face/identify/queryverifyinfo',
        {
          verify_id: verifyId,
          out_seq_no: session,
          cert_hash: certHash(who.name, who.idNumber),
          openid: who.openid,
        },
        who.now,
      ).catch((err: unknown) => {
        if (err instanceof WxApiError && err.errcode !== -1)
          throw new AppError('VERIFY.MISMATCH', 'name');
        throw err;
      }),
    );
    if (Number(answer.verify_ret) !== FACE_PASS) throw new AppError('VERIFY.NOT_DONE', 'verifyId');
  },
};

/** The verifier of the configured facility, or undefined when none is granted ('off'). */
export function verifierFor(
  method: 'realname' | 'face' | 'off' | undefined,
): IdentityVerifier | undefined {
  if (method === 'realname') return realNameVerifier;
  if (method === 'face') return faceVerifier;
  return undefined;
}
