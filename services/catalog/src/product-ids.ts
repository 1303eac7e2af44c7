/** The smallest positive integer not in `usedIds` (docs/features.md §3.2, `/add -|...`). */
export function smallestFreeId(usedIds: Iterable<number>): number {
  const used = new Set(usedIds);
  let id = 1;
  while (used.has(id)) id++;
  return id;
}
