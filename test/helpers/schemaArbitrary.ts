// Request payloads for fuzzing, generated from the shared zod schemas (via
// their JSON Schema): mostly well-formed values that reach deep into the
// handlers, mixed with near misses (a field dropped, added, or of the wrong
// type, text with control characters) and arbitrary garbage.
import fc from 'fast-check';
import { z } from 'zod';

type JsonSchema = {
  type?: string | string[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
};

/** Text meant to trip validation and rendering: controls, bidi overrides, huge code points, markup. */
const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.constantFrom('\u202eevil', 'a\u0000b', '\u0085', '\ud800', '<script>alert(1)</script>', '../../etc/passwd', ' ', '', '%00', 'x'.repeat(5000)),
);

function stringFor(schema: JsonSchema): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.uuid({ version: 4 });
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'date-time') return fc.date({ min: new Date(2000, 0, 1), max: new Date(2100, 0, 1), noInvalidDate: true }).map((date) => date.toISOString());
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((text) => text.length <= (schema.maxLength ?? Infinity));
  return fc.string({ unit: 'grapheme', minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) });
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? schema.exclusiveMinimum ?? -1e9;
  const max = schema.maximum ?? schema.exclusiveMaximum ?? 1e9;
  if (integer) return fc.integer({ min: Math.ceil(Math.max(min, Number.MIN_SAFE_INTEGER)), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values the schema (roughly) accepts. */
export function validArbitrary(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return fc.oneof(...options.map((option) => validArbitrary(option, depth + 1)));
  if (schema.allOf?.[0]) return validArbitrary(schema.allOf[0], depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringFor(schema);
    case 'integer':
      return numberFor(schema, true);
    case 'number':
      return numberFor(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validArbitrary(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 6),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([key, value]) => [key, validArbitrary(value, depth + 1)]));
      if (Object.keys(model).length === 0 && typeof schema.additionalProperties === 'object') {
        return fc.dictionary(fc.string({ maxLength: 12 }), validArbitrary(schema.additionalProperties, depth + 1), { maxKeys: 4 });
      }
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((key) => key in model) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value with one thing wrong: a key dropped or added, a field swapped for garbage. */
function nearMiss(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), fc.oneof(nastyText, fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined))).map(([value, index, garbage]) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return garbage;
    const entries = Object.entries(value);
    const copy: Record<string, unknown> = { ...value };
    const key = entries.length > 0 ? entries[index % entries.length]![0] : 'extra';
    switch (index % 3) {
      case 0:
        delete copy[key];
        break;
      case 1:
        copy[key] = garbage;
        break;
      default:
        copy[`extra${index % 7}`] = garbage;
    }
    return copy;
  });
}

/** What a fuzzer sends for `schema`: valid values, near misses and garbage, in about equal parts. */
export function payloadArbitrary(schema: z.ZodType): fc.Arbitrary<unknown> {
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  const valid = validArbitrary(json);
  return fc.oneof(valid, nearMiss(valid), fc.oneof(fc.anything({ maxDepth: 3 }), nastyText, fc.uint8Array({ maxLength: 64 })));
}
