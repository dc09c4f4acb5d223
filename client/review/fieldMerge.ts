// Writing on top of what someone else saved meanwhile (another tab, a relative
// on another phone, a colleague's window): each field keeps whoever changed
// it, so neither loses what they typed.

type Fields = Record<string, unknown>;

function same(one: unknown, other: unknown): boolean {
  return one === other || JSON.stringify(one) === JSON.stringify(other);
}

/** `mine` and `theirs` both started from `base`: a field I changed is mine, any other is theirs. */
export function mergeFields<T extends Fields>(base: T, mine: T, theirs: T): T {
  const merged: Fields = { ...theirs };
  for (const key of Object.keys(mine)) if (!same(mine[key], base[key])) merged[key] = mine[key];
  return merged as T;
}

export function sameFields<T extends Fields>(one: T, other: T): boolean {
  const keys = new Set([...Object.keys(one), ...Object.keys(other)]);
  return [...keys].every((key) => same(one[key], other[key]));
}
