/** Valid people for the form (R6), each with a distinct ID number so each may book once a day (R5). */
import { idCheckChar } from '../../../server/domain/identity';

export interface TestPerson {
  name: string;
  idNumber: string;
  phone: string;
  plate: string;
  /** The category's name as the form shows it. */
  category: string;
}

let seq = 0;

/** An 18-digit ID of a Xiamen Siming resident born in 1985, with the right GB 11643 check digit. */
export function idNumber(n: number): string {
  const first17 = `350203198506${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + idCheckChar(first17);
}

export function newPerson(overrides: Partial<TestPerson> = {}): TestPerson {
  seq += 1;
  return {
    name: '林晓梅',
    idNumber: idNumber(seq),
    phone: `1385920${String(seq).padStart(4, '0')}`,
    plate: `闽D${String(10000 + seq).slice(-5)}`,
    category: '电子监控类',
    ...overrides,
  };
}

/** An ID number that ends in X (its check digit is 10). */
export function idEndingInX(): string {
  for (let n = 1; n < 5000; n += 1) {
    const id = idNumber(n);
    if (id.endsWith('X')) return id;
  }
  throw new Error('no X in range');
}

/** The person as the `book` action takes it, for arranging scenes through the function directly. */
export function asInput(p: TestPerson): Record<string, string> {
  const category = { 电子监控类: 'surveillance', 营运类: 'commercial', 扣车类: 'impounded' }[
    p.category
  ];
  return {
    name: p.name,
    idNumber: p.idNumber,
    phone: p.phone,
    plate: p.plate,
    category: category ?? p.category,
  };
}
