// Every string a person reads comes from the translations, and every
// translation is complete: these checks fail on a literal text in a
// component, on a key the code uses that English lacks, and on a locale that
// misses a key English has (or has one English lacks), plural forms included.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { english as bundledEnglish, languages, loadStrings } from '../../client/i18n/resources';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const clientDir = join(root, 'client');
const localesDir = join(clientDir, 'i18n', 'locales');

type Resource = { [key: string]: string | Resource };

function readLocale(language: string): Resource {
  return JSON.parse(readFileSync(join(localesDir, `${language}.json`), 'utf8')) as Resource;
}

function leafKeys(resource: Resource, prefix = ''): string[] {
  return Object.entries(resource).flatMap(([key, value]) => (typeof value === 'string' ? [prefix + key] : leafKeys(value, `${prefix}${key}.`)));
}

function valueAt(resource: Resource, key: string): string | Resource | undefined {
  let value: string | Resource | undefined = resource;
  for (const part of key.split('.')) value = typeof value === 'object' ? value[part] : undefined;
  return value;
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;

/** English's keys as `language` must have them: each plural key in the forms that language uses. */
function expectedKeys(english: string[], language: string): string[] {
  const categories = new Intl.PluralRules(language).resolvedOptions().pluralCategories;
  const plurals = new Set(english.filter((key) => pluralSuffix.test(key)).map((key) => key.replace(pluralSuffix, '')));
  return [...english.filter((key) => !pluralSuffix.test(key)), ...[...plurals].flatMap((base) => categories.map((category) => `${base}_${category}`))].sort();
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((match) => match[1] ?? '').sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true, path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

const hasLetters = (text: string): boolean => /\p{L}/u.test(text);

/** Attributes whose text a person reads or hears. */
const readAttributes = new Set(['aria-label', 'aria-description', 'aria-placeholder', 'aria-roledescription', 'aria-valuetext', 'title', 'placeholder', 'alt']);

/** The literal texts in JSX a person would read: text between tags, readable attributes, strings in {…}. */
export function literalTexts(source: ts.SourceFile): { text: string; line: number }[] {
  const found: { text: string; line: number }[] = [];
  const report = (node: ts.Node, text: string) => {
    if (hasLetters(text)) found.push({ text: text.trim(), line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
  };
  /** Strings an expression in JSX can evaluate to (through ?:, && and ||). */
  const strings = (expression: ts.Expression): void => {
    if (ts.isStringLiteral(expression) || ts.isNoSubstitutionTemplateLiteral(expression)) report(expression, expression.text);
    else if (ts.isTemplateExpression(expression)) report(expression, [expression.head.text, ...expression.templateSpans.map((span) => span.literal.text)].join(' '));
    else if (ts.isConditionalExpression(expression)) {
      strings(expression.whenTrue);
      strings(expression.whenFalse);
    } else if (ts.isBinaryExpression(expression)) strings(expression.right);
    else if (ts.isParenthesizedExpression(expression)) strings(expression.expression);
  };
  walk(source, (node) => {
    if (ts.isJsxText(node)) report(node, node.text);
    else if (ts.isJsxAttribute(node) && readAttributes.has(node.name.getText(source)) && node.initializer) {
      if (ts.isStringLiteral(node.initializer)) report(node.initializer, node.initializer.text);
      else if (ts.isJsxExpression(node.initializer) && node.initializer.expression) strings(node.initializer.expression);
    } else if (ts.isJsxExpression(node) && node.expression && (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))) {
      strings(node.expression);
    }
  });
  return found;
}

/** Keys passed to t(…) as literals, and the fixed beginnings of keys built with templates. */
function translationKeys(source: ts.SourceFile): { keys: string[]; prefixes: string[] } {
  const keys: string[] = [];
  const prefixes: string[] = [];
  walk(source, (node) => {
    if (!ts.isCallExpression(node)) return;
    const callee = node.expression;
    const isT = (ts.isIdentifier(callee) && callee.text === 't') || (ts.isPropertyAccessExpression(callee) && callee.name.text === 't');
    const [first] = node.arguments;
    if (!isT || !first) return;
    if (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) keys.push(first.text);
    else if (ts.isTemplateExpression(first)) prefixes.push(first.head.text.replace(/\.$/, ''));
  });
  return { keys, prefixes };
}

describe('translations', () => {
  const english = readLocale('en');
  const englishKeys = leafKeys(english);

  it('offers every locale file there is, English first', () => {
    const files = readdirSync(localesDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.replace(/\.json$/, ''));
    assert.deepEqual([...files].sort(), [...languages].sort());
    assert.equal(languages[0], 'en');
    for (const required of ['en', 'ru', 'de', 'ar', 'es', 'fr']) assert.ok(languages.some((language) => language === required), `${required} is offered`);
  });

  it('loads each language as its file has it, English from the first script', async () => {
    assert.deepEqual(bundledEnglish, readLocale('en'));
    for (const language of languages) assert.deepEqual(await loadStrings(language), readLocale(language), language);
  });

  for (const language of readdirSync(localesDir).map((name) => name.replace(/\.json$/, '')).filter((name) => name !== 'en')) {
    it(`${language} has exactly the keys English has, in its own plural forms, with the same placeholders`, () => {
      const resource = readLocale(language);
      const keys = leafKeys(resource).sort();
      const expected = expectedKeys(englishKeys, language);
      assert.deepEqual(
        { missing: expected.filter((key) => !keys.includes(key)), extra: keys.filter((key) => !expected.includes(key)) },
        { missing: [], extra: [] },
      );
      for (const key of keys) {
        const text = valueAt(resource, key) as string;
        assert.ok(text.trim().length > 0, `${language}: ${key} is empty`);
        // A plural form answers to English's general (_other) form: languages split numbers differently.
        const source = pluralSuffix.test(key) ? valueAt(english, key.replace(pluralSuffix, '_other')) : valueAt(english, key);
        const wanted = placeholders(source as string).filter((name) => !(name === 'count' && /_(zero|one|two)$/.test(key)));
        const given = new Set(placeholders(text));
        for (const name of wanted) assert.ok(given.has(name), `${language}: ${key} lacks {{${name}}}`);
        for (const name of given) assert.ok(placeholders(source as string).includes(name), `${language}: ${key} has {{${name}}}, which English does not`);
      }
    });
  }

  it('has no literal text in components: everything a person reads comes from the translations', () => {
    const literals = sourceFiles(clientDir)
      .filter((path) => path.endsWith('.tsx'))
      .flatMap((path) => literalTexts(parse(path)).map(({ text, line }) => `${relative(root, path)}:${line}: ${JSON.stringify(text)}`));
    assert.deepEqual(literals, []);
  });

  it('catches a literal text, in any of the places it can hide', () => {
    const source = ts.createSourceFile(
      'x.tsx',
      `const a = <p>Hello</p>; const b = <img alt="A scan" />; const c = <b>{ok ? 'Yes' : t('no')}</b>; const d = <i title={\`Page \${n}\`} />; const e = <p>{t('x')} · 3</p>;`,
      ts.ScriptTarget.Latest,
      true,
      ts.ScriptKind.TSX,
    );
    assert.deepEqual(
      literalTexts(source).map((found) => found.text),
      ['Hello', 'A scan', 'Yes', 'Page'],
    );
  });

  it('uses only keys English has', () => {
    const unknown: string[] = [];
    for (const path of sourceFiles(clientDir)) {
      const { keys, prefixes } = translationKeys(parse(path));
      for (const key of keys) {
        const known = typeof valueAt(english, key) === 'string' || typeof valueAt(english, `${key}_other`) === 'string';
        if (!known) unknown.push(`${relative(root, path)}: ${key}`);
      }
      for (const prefix of prefixes) {
        if (typeof valueAt(english, prefix) !== 'object') unknown.push(`${relative(root, path)}: ${prefix}.*`);
      }
    }
    assert.deepEqual(unknown, []);
  });
});
