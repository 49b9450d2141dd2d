/** Arranging scenes through the real function, as other citizens would have booked before the test. */
import { callBooking } from './cloud';
import { asInput, newPerson } from './people';

interface BookAnswer {
  ok: boolean;
  data?: { id: string; number: string };
  error?: { code: string };
}

let accounts = 0;

/**
 * Books `count` numbers of `date` (of `periodId` when given) for other people, three per account (R5),
 * and fails if any booking is refused.
 */
export async function bookOthers(count: number, date: string, periodId?: string): Promise<void> {
  const batch: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    if (i % 3 === 0) accounts += 1;
    const openid = `other-${accounts}`;
    const person = newPerson();
    batch.push(
      callBooking<BookAnswer>(openid, {
        action: 'book',
        serviceId: 'siming-violation',
        date,
        ...(periodId ? { periodId } : {}),
        person: asInput(person),
        requestId: `others-${openid}-${i}-${Date.now()}`,
      }).then((answer) => {
        if (!answer.ok) throw new Error(`arranging failed: ${JSON.stringify(answer.error)}`);
      }),
    );
    if (batch.length === 10) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}
