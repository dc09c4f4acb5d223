// A released opinion as it is kept and hashed. The hash covers everything the
// reader is told (the content, the reviewed documents' names, the translation,
// who signed and when, what changed), in one canonical form: keys sorted, no
// spaces. Anyone holding a PDF can compare its hash with the page's.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { opinionContentSchema, opinionTranslationPartsSchema } from '../../shared/opinion';

export const releasedOpinionSchema = z.strictObject({
  consultId: z.string(),
  version: z.number().int().min(1),
  content: opinionContentSchema,
  reviewedDocuments: z.array(z.strictObject({ id: z.string(), name: z.string() })),
  translation: z.strictObject({ parts: opinionTranslationPartsSchema, language: z.string(), translatorName: z.string() }).nullable(),
  withoutTranslationReason: z.string().nullable(),
  changeNote: z.string().nullable(),
  signedBy: z.string(),
  doctorId: z.string(),
  releasedAt: z.iso.datetime(),
});
export type ReleasedOpinion = z.infer<typeof releasedOpinionSchema>;

/** JSON with every object's keys sorted and no spaces: the same opinion always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([one], [other]) => (one < other ? -1 : one > other ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${canonicalJson(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function opinionHash(opinion: ReleasedOpinion): string {
  return createHash('sha256').update(canonicalJson(opinion), 'utf8').digest('hex');
}
