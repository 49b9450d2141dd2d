/**
 * Runs `work` over `items` with at most `limit` in flight. Every item is attempted even when one fails;
 * the first failure is rethrown once all have settled (nothing left running behind the caller's back).
 */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  // One iterator shared by the workers: each takes the next item when it is free.
  const queue = items.values();
  let failure: { err: unknown } | undefined;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (const item of queue) {
        try {
          await work(item);
        } catch (err) {
          failure ??= { err };
        }
      }
    }),
  );
  if (failure) throw failure.err;
}

/** A copy of `items` in random order: concurrent runs reading the same page rarely claim the same ones. */
export function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) swap(out, i, Math.floor(Math.random() * (i + 1)));
  return out;
}

function swap(xs: unknown[], i: number, j: number): void {
  if (i >= xs.length || j >= xs.length) throw new RangeError(`swap(${i}, ${j}) of ${xs.length}`);
  [xs[i], xs[j]] = [xs[j], xs[i]];
}
