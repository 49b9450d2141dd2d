/**
 * Issue 15: the pure parts of the real-name checks (server/identity/verifier.ts) against WeChat's
 * documentation — 人脸核身 2.0's `cert_hash` of its own worked example, the realname consent page's app id.
 */
import {
  certHash,
  REALNAME_APP_ID,
  REALNAME_PATH,
  verifierFor,
} from '../../server/identity/verifier';

describe('微信人脸核身 2.0 cert_hash', () => {
  it('is the documentation’s example for 张三 310101199801011234', () => {
    expect(certHash('张三', '310101199801011234')).toBe(
      '3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b',
    );
  });
});

describe('the configured facility', () => {
  it('is realname, face or none', () => {
    expect(verifierFor('realname')?.method).toBe('realname');
    expect(verifierFor('face')?.method).toBe('face');
    expect(verifierFor('off')).toBeUndefined();
    expect(verifierFor(undefined)).toBeUndefined();
  });

  it('opens WeChat’s own consent page of 城市服务实名信息校验', async () => {
    await expect(
      verifierFor('realname')?.start({ openid: 'o', name: '张三', idNumber: 'x', now: 0 }),
    ).resolves.toEqual({ method: 'realname', appId: REALNAME_APP_ID, path: REALNAME_PATH });
    expect([REALNAME_APP_ID, REALNAME_PATH]).toEqual([
      'wx308bd2aeb83d3345',
      'subPages/city/wxpay-auth/main',
    ]);
  });
});
