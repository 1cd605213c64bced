// Assertions per function, per directory (issue 15): functions are declarations, methods,
// constructors, accessors and block-bodied function/arrow expressions; assertions are calls to
// invariant*()/assert*()/violated() and `throw` statements whose text names an invariant.
// node --import tsx bench/assertions-per-function.ts [DIR...]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src/raft', 'src/watch', 'src/mvcc', 'src/lease', 'sim/world'];

function files(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function isFunction(n: ts.Node): boolean {
  if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n)) return n.body !== undefined;
  return (ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isBlock(n.body);
}

function count(file: string): { functions: number; assertions: number } {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  let functions = 0;
  let assertions = 0;
  const visit = (n: ts.Node, inThrow: boolean): void => {
    if (isFunction(n)) functions++;
    if (ts.isCallExpression(n) && !inThrow && /^(invariant\w*|assert\w*|violated|check\w*Invariant\w*)$/.test(n.expression.getText(sf))) assertions++;
    if (ts.isThrowStatement(n)) {
      if (/invariant|violated|assert/i.test(n.getText(sf))) assertions++;
      ts.forEachChild(n, (c) => visit(c, true));
      return;
    }
    ts.forEachChild(n, (c) => visit(c, inThrow));
  };
  visit(sf, false);
  return { functions, assertions };
}

for (const d of dirs) {
  let functions = 0;
  let assertions = 0;
  for (const f of files(join(root, d))) {
    const c = count(f);
    functions += c.functions;
    assertions += c.assertions;
  }
  console.log(`${d.padEnd(12)} functions ${String(functions).padStart(4)}  assertions ${String(assertions).padStart(4)}  per function ${(assertions / functions).toFixed(2)}`);
}
