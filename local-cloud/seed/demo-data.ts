/**
 * PLACEHOLDER written by the local-cloud runtime so that `--seed` works before the real demo data
 * exists; the lead replaces this file. The contract the CLI relies on is only the signature.
 */
export function demoData(): { collection: string; docs: Record<string, unknown>[] }[] {
  return [
    {
      collection: 'offices',
      docs: [{ _id: 'siming', name: '思明交警大队' }],
    },
  ];
}
