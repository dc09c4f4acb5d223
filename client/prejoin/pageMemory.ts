// What a person typed and chose on the join page, kept for this tab only
// (sessionStorage), so a reload or a brief switch to another app on a phone
// loses nothing, and nothing stays behind once the tab is closed.
import type { z } from 'zod';

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage can be blocked (private modes, policies)
  }
}

/** The value kept under `key`, if there is one and it still has the expected shape. */
export function recalled<S extends z.ZodType>(key: string, schema: S): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(storage()?.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function keep(key: string, value: unknown): void {
  try {
    storage()?.setItem(key, JSON.stringify(value));
  } catch {
    // A full or blocked storage only means a reload starts afresh.
  }
}
