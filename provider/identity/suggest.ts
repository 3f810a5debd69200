import { distance } from "fastest-levenshtein";

/**
 * The candidate closest to `wanted`, if it is close enough to be a likely typo: at most a fifth of the
 * longer text's characters (and at least 2) differ. Comparison ignores case. Ties go to the first
 * candidate in sorted order, so the suggestion never depends on the order Kantata lists things in.
 */
export function closestMatch(wanted: string, candidates: Iterable<string>): string | undefined {
  const target = wanted.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of [...candidates].sort()) {
    const d = distance(target, candidate.toLowerCase());
    if (d === 0) continue;
    if (best === undefined || d < best.distance) best = { candidate, distance: d };
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.max(target.length, best.candidate.length) / 5));
  return best.distance <= allowed ? best.candidate : undefined;
}
