// What free text people type may hold. Names and titles are shown to others,
// often beside text in another direction: invisible control characters (C0,
// DEL, C1 such as U+0085 or U+009B) and the Unicode bidi embeddings,
// overrides and isolates (U+202A-U+202E, U+2066-U+2069) could hide or
// reorder what others read ("evil.pdf" shown as "fdp.live"). The page
// isolates user text itself; none of these has a use in a name.
import { z } from 'zod';

/* eslint-disable no-control-regex */
/** Not in a single line of text: every control character, line and paragraph separators, bidi controls. */
const notInLine = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/** Not in a message: the same, but tab, line feed and carriage return are allowed. */
const notInMessage = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
/* eslint-enable no-control-regex */

/** The first character a field may not hold, as U+XXXX for messages; undefined when there is none. */
export function forbiddenCharacterIn(text: string, multiline = false): string | undefined {
  const found = (multiline ? notInMessage : notInLine).exec(text)?.[0];
  return found === undefined ? undefined : `U+${(found.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A check to add to a string schema: `what` names the field in the message ("the name"). */
export function withoutControlCharacters<S extends z.ZodType<string>>(schema: S, what: string, multiline = false) {
  return schema.superRefine((text, context) => {
    const character = forbiddenCharacterIn(text, multiline);
    if (character) {
      context.addIssue({
        code: 'custom',
        message: `${what} contains an invisible control or text-direction character (${character}); type it again without it`,
      });
    }
  });
}

/** `text` without the characters a field may not hold: pasted text often carries some, invisible. */
export function withoutForbiddenCharacters(text: string, multiline = false): string {
  return text.replace(new RegExp((multiline ? notInMessage : notInLine).source, 'g'), '');
}
