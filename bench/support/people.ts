/**
 * The benchmarks' citizens: valid, distinct inputs for the demo service. The tests make theirs with an
 * independent check-digit oracle (test/cloud/support/booking.ts); a benchmark only needs input the
 * function accepts, so it takes the domain's own R6 check character.
 */
import type { PersonInput } from '../../typings/api';
import { DEFAULT_SERVICE } from '../../server/domain/config';
import { idCheckChar } from '../../server/domain/identity';

/** The demo data's service (local-cloud/seed), which the benchmarks book. */
export const SERVICE = DEFAULT_SERVICE.id;

/** Person `n`: a Xiamen Siming (350203) resident born 1980–1999, with their own phone and plate. */
export function person(n: number): PersonInput {
  const year = 1980 + (n % 20);
  const month = String((n % 12) + 1).padStart(2, '0');
  const day = String((n % 28) + 1).padStart(2, '0');
  const seq = String(n % 1000).padStart(3, '0');
  const first17 = `350203${year}${month}${day}${seq}`;
  return {
    name: '测试用户',
    idNumber: first17 + idCheckChar(first17),
    phone: `138${String(n).padStart(8, '0')}`,
    plate: `闽D${String(10000 + (n % 90000))}`,
    category: 'surveillance',
  };
}
