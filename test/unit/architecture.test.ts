// The shape of the tree, checked on every run: small files, no import cycles,
// and imports that only go down the layers (shared ← domain ← transport).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const maxLines = 400;

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    const path = join(folder, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !entry.endsWith('.d.ts') ? [path] : [];
  });
}

const files = ['server', 'client', 'shared'].flatMap((folder) => sourceFiles(join(root, folder)));
const known = new Set(files);
const name = (path: string) => relative(root, path);

/** Each file's imports of other files of ours (type-only imports included: a cycle of types is still a cycle). */
const imports = new Map(
  files.map((file) => {
    const found = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
    const targets = found
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => resolve(dirname(file), specifier))
      .map((base) => [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((candidate) => known.has(candidate)))
      .filter((target): target is string => target !== undefined);
    return [file, targets] as const;
  }),
);

type Graph = ReadonlyMap<string, readonly string[]>;

/** Strongly connected components with more than one file (Tarjan). */
function cycles(graph: Graph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(name(member));
      } while (member !== file);
      if (component.length > 1) found.push(component);
    }
  };
  for (const file of graph.keys()) if (!index.has(file)) visit(file);
  return found;
}

/** Imports that go up a layer: shared → anything else, client → server, domain → transport. */
function layerBreaches(graph: Graph): string[] {
  const transport = /^server\/(signalling|http)\//;
  const wrong: string[] = [];
  for (const [file, targets] of graph) {
    const from = name(file);
    for (const target of targets.map(name)) {
      const breach =
        (from.startsWith('shared/') && !target.startsWith('shared/')) ||
        (from.startsWith('client/') && target.startsWith('server/')) ||
        (from.startsWith('server/') && transport.test(target) && !transport.test(from) && from !== 'server/consiliumServer.ts');
      if (breach) wrong.push(`${from} → ${target}`);
    }
  }
  return wrong;
}

describe('the shape of the tree', () => {
  it(`keeps every file under server/, client/ and shared/ at ${maxLines} lines or fewer`, () => {
    const long = files
      .map((file) => ({ file: name(file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > maxLines);
    assert.deepEqual(long, []);
  });

  it('has no import cycle', () => {
    assert.deepEqual(cycles(imports), []);
  });

  it('imports only down the layers: shared from nobody of ours, the domain never from the transports', () => {
    assert.deepEqual(layerBreaches(imports), []);
  });

  it('would notice a cycle and a layer breach', () => {
    // The checks above must be able to fail: a made-up graph with both.
    const at = (path: string) => join(root, path);
    const graph = new Map([
      [at('server/live/a.ts'), [at('server/http/b.ts')]],
      [at('server/http/b.ts'), [at('server/live/a.ts')]],
    ]);
    assert.deepEqual(cycles(graph).map((component) => component.sort()), [['server/http/b.ts', 'server/live/a.ts']]);
    assert.deepEqual(layerBreaches(graph), ['server/live/a.ts → server/http/b.ts']);
  });
});
