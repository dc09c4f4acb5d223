// What a person typed and chose, kept in the browser so that a reload, a brief
// switch to another app on a phone, or a tab closed too soon loses nothing.
// 'tab' (sessionStorage): gone when the tab closes, for choices on the join
// page. 'device' (localStorage): survives a closed tab, for writing not yet
// saved to the server; the caller forgets it once saved, so nothing personal
// stays on a shared device longer than it must.
import type { z } from 'zod';

export type MemoryPlace = 'tab' | 'device';

function storage(place: MemoryPlace): Storage | undefined {
  try {
    return place === 'tab' ? window.sessionStorage : window.localStorage;
  } catch {
    return undefined; // storage can be blocked (private modes, policies)
  }
}

/** The value kept under `key`, if there is one and it still has the expected shape. */
export function recalled<S extends z.ZodType>(key: string, schema: S, place: MemoryPlace = 'tab'): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(storage(place)?.getItem(key) ?? 'null'));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function keep(key: string, value: unknown, place: MemoryPlace = 'tab'): void {
  try {
    storage(place)?.setItem(key, JSON.stringify(value));
  } catch {
    // A full or blocked storage only means a reload starts afresh.
  }
}

export function forget(key: string, place: MemoryPlace = 'tab'): void {
  try {
    storage(place)?.removeItem(key);
  } catch {
    // Nothing was kept, then.
  }
}
