/**
 * R14: the keyed hashes every stored person and booking id depend on (docs/security.md, "What is hashed").
 * They must never change for the same secret and input — a different derivation would orphan every
 * stored person, suspension (R10) and booking id — so each is checked against its definition computed
 * here with Node's HMAC keyed by the secret as a string. The key is made once per secret (issue 16), so a
 * changed secret must still give other hashes.
 */
import { createHmac } from 'node:crypto';
import { personKey, requestBookingId } from '../../server/shared/person-key';

const SECRET_A = 'unit-test-secret-aaaaaaaa';
const SECRET_B = '单元测试的另一个密钥-bbbbbbbb';
const before = process.env.ID_HASH_SECRET;

afterAll(() => {
  if (before === undefined) delete process.env.ID_HASH_SECRET;
  else process.env.ID_HASH_SECRET = before;
});

const hmac = (secret: string, text: string): string =>
  createHmac('sha256', secret).update(text).digest('hex');

describe('the keyed hashes of R14', () => {
  it.each([SECRET_A, SECRET_B])('are HMAC-SHA256 under the secret as configured (%s)', (secret) => {
    process.env.ID_HASH_SECRET = secret;
    expect(personKey('11010519491231002X')).toBe(
      hmac(secret, 'id:11010519491231002X').slice(0, 32),
    );
    expect(requestBookingId('o-alice', 'r-1')).toBe(
      `b${hmac(secret, 'req:o-alice:r-1').slice(0, 31)}`,
    );
  });

  it('follow a changed secret at once', () => {
    process.env.ID_HASH_SECRET = SECRET_A;
    const a = personKey('350203199001011234');
    process.env.ID_HASH_SECRET = SECRET_B;
    const b = personKey('350203199001011234');
    expect(b).not.toBe(a);
    process.env.ID_HASH_SECRET = SECRET_A;
    expect(personKey('350203199001011234')).toBe(a);
  });

  it('refuse to hash without a secret of at least 16 characters', () => {
    process.env.ID_HASH_SECRET = 'short';
    expect(() => personKey('11010519491231002X')).toThrow(/ID_HASH_SECRET/);
  });
});
