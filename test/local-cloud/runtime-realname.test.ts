/**
 * Issue 15: WeChat's real-name checks as the local cloud emulates them (src/openapi/realname.ts) — the
 * server API of 城市服务实名信息校验 (`intp/realname/checkrealnameinfo`) and of 微信人脸核身 2.0
 * (`getverifyid`, `queryverifyinfo`), reached from a cloud function with an access token, as the
 * documentation describes them; and the control endpoints standing for WeChat's consent page and the
 * phone's camera.
 */
import {
  callFunction,
  faceCheck,
  type LocalCloud,
  postJson,
  realNameCode,
  registerRealName,
  startLocalCloud,
} from '../../local-cloud/client';
import { FIXTURE_FUNCTIONS } from './support/fixtures';

jest.setTimeout(60_000);

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ extraEnv: { LOCALCLOUD_FUNCTIONS: FIXTURE_FUNCTIONS } });
});

afterAll(async () => {
  await cloud.stop();
});

/** The `wxapi` fixture: stable_token, then `path` with `body` and the caller's openid. */
async function wx(openid: string, path: string, body: object): Promise<Record<string, unknown>> {
  const outcome = await callFunction(cloud, 'wxapi', { path, body }, openid);
  if (!('result' in outcome)) throw new Error(`${outcome.errCode} ${outcome.errMsg}`);
  return outcome.result as Record<string, unknown>;
}

const ZHANG = { name: '张三', idNumber: '310101199801011234' };

describe('access tokens (cgi-bin/stable_token)', () => {
  it('are given for the app id and secret only, and required by the checks', async () => {
    const base = `${cloud.url}/wxapi`;
    const token = async (body: object) =>
      (await fetch(`${base}/cgi-bin/stable_token`, {
        method: 'POST',
        body: JSON.stringify(body),
      }).then((r) => r.json())) as Record<string, unknown>;
    expect(
      await token({
        grant_type: 'client_credential',
        appid: 'wx0000000000000000',
        secret: 'wrong',
      }),
    ).toMatchObject({ errcode: 40125 });
    expect(
      await token({ grant_type: 'client_credential', appid: 'wx1', secret: 'x' }),
    ).toMatchObject({ errcode: 40013 });
    const answer = await postJson<Record<string, unknown>>(
      cloud,
      '/wxapi/intp/realname/checkrealnameinfo?access_token=forged',
      { openid: 'o', real_name: 'x', cred_id: 'y', cred_type: '1', code: 'z' },
    );
    expect(answer).toMatchObject({ errcode: 40001 });
  });
});

describe('城市服务实名信息校验 (checkrealnameinfo)', () => {
  it('matches the account, then the name with the ID, with a single-use code from the consent page', async () => {
    await registerRealName(cloud, 'o-rn-1', ZHANG);
    const check = async (openid: string, realName: string, credId: string, code: string) =>
      wx(openid, '/intp/realname/checkrealnameinfo', {
        real_name: realName,
        cred_id: credId,
        cred_type: '1',
        code,
      });
    const code = await realNameCode(cloud, 'o-rn-1');
    expect(await check('o-rn-1', ZHANG.name, ZHANG.idNumber, code)).toEqual({
      errcode: 0,
      errmsg: 'ok',
      verify_openid: 'V_OP_NM_MA',
      verify_real_name: 'V_NM_ID_MA',
    });
    // Used up.
    expect(await check('o-rn-1', ZHANG.name, ZHANG.idNumber, code)).toMatchObject({
      errcode: 40029,
    });
    expect(
      await check('o-rn-1', ZHANG.name, '11010119900307001X', await realNameCode(cloud, 'o-rn-1')),
    ).toMatchObject({ verify_openid: 'V_OP_NM_MA', verify_real_name: 'V_NM_ID_UM' });
    const other = await check(
      'o-rn-1',
      '李四',
      ZHANG.idNumber,
      await realNameCode(cloud, 'o-rn-1'),
    );
    expect(other).toMatchObject({ errcode: 0, verify_openid: 'V_OP_NM_UM' });
    expect(other).not.toHaveProperty('verify_real_name');
    // An account WeChat knows no real name of; a code given to another account.
    expect(
      await check('o-rn-none', ZHANG.name, ZHANG.idNumber, await realNameCode(cloud, 'o-rn-none')),
    ).toMatchObject({ errcode: 0, verify_openid: 'V_OP_NA' });
    expect(
      await check('o-rn-1', ZHANG.name, ZHANG.idNumber, await realNameCode(cloud, 'o-rn-x')),
    ).toMatchObject({ errcode: 40029 });
  });
});

describe('微信人脸核身 2.0 (getverifyid, wx.requestFacialVerify, queryverifyinfo)', () => {
  // The documentation's own example of cert_hash, for 张三 310101199801011234.
  const DOCUMENTED_HASH = '3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b';

  async function session(openid: string, seq: string) {
    const answer = await wx(openid, '/cityservice/face/identify/getverifyid', {
      out_seq_no: seq,
      cert_info: { cert_type: 'IDENTITY_CARD', cert_name: ZHANG.name, cert_no: ZHANG.idNumber },
    });
    expect(answer).toMatchObject({ errcode: 0, expires_in: 3600 });
    return String(answer.verify_id);
  }
  const query = (openid: string, verifyId: string, seq: string, hash = DOCUMENTED_HASH) =>
    wx(openid, '/cityservice/face/identify/queryverifyinfo', {
      verify_id: verifyId,
      out_seq_no: seq,
      cert_hash: hash,
    });

  it('passes (10000) when the face at the camera is the person, with the documented cert_hash', async () => {
    await registerRealName(cloud, 'o-face-1', ZHANG);
    const verifyId = await session('o-face-1', 'seq_face_1');
    // Before the phone ran the check.
    expect(await query('o-face-1', verifyId, 'seq_face_1')).toMatchObject({
      errcode: 0,
      verify_ret: 90002,
    });
    expect(await faceCheck(cloud, 'o-face-1', verifyId)).toBe(10000);
    expect(await query('o-face-1', verifyId, 'seq_face_1')).toEqual({
      errcode: 0,
      errmsg: 'ok',
      verify_ret: 10000,
    });
  });

  it('fails when someone else is at the camera; refuses a differing out_seq_no, openid or cert_hash', async () => {
    await registerRealName(cloud, 'o-face-2', { name: '李四', idNumber: '11010119900307001X' });
    const verifyId = await session('o-face-2', 'seq_face_2');
    expect(await faceCheck(cloud, 'o-face-2', verifyId)).toBe(90011);
    expect(await query('o-face-2', verifyId, 'seq_face_2')).toMatchObject({ verify_ret: 90011 });
    expect(await query('o-face-2', verifyId, 'seq_other')).toMatchObject({ errcode: 40097 });
    expect(await query('o-face-x', verifyId, 'seq_face_2')).toMatchObject({ errcode: 40097 });
    expect(await query('o-face-2', verifyId, 'seq_face_2', 'ab'.repeat(32))).toMatchObject({
      errcode: 40097,
    });
    // out_seq_no is unique per app id, 5–32 of [A-Za-z0-9_-].
    for (const seq of ['seq_face_2', 'abc', 'has space'])
      expect(
        await wx('o-face-2', '/cityservice/face/identify/getverifyid', {
          out_seq_no: seq,
          cert_info: { cert_type: 'IDENTITY_CARD', cert_name: '李四', cert_no: '1' },
        }),
      ).toMatchObject({ errcode: 40097 });
  });
});
