// The lint tests' one probe: ESLint on a snippet of TypeScript with only the rules under test,
// as if the snippet were a file at `filePath` (the rules differ by folder), answering each
// message as "rule: message".
import { ESLint, type Linter } from 'eslint';
import tseslint from 'typescript-eslint';

// eslint.config.js is plain JavaScript outside the TypeScript project: imported by URL, typed by each test.
export const eslintConfigUrl = new URL('../../eslint.config.js', import.meta.url).href;

export function lintText(rules: Linter.RulesRecord, filePath: string): (code: string) => Promise<string[]> {
  const eslint = new ESLint({
    overrideConfigFile: true,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules }],
  });
  return async (code) => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
  };
}

/** Whether the repository's own eslint.config.js applies the no-restricted-syntax entry with `selector` to `file`. */
export async function restrictedSyntaxAppliesTo(file: string, selector: string): Promise<boolean> {
  const config = (await new ESLint().calculateConfigForFile(file)) as { rules?: Record<string, unknown[]> };
  const entries = config.rules?.['no-restricted-syntax'] ?? [];
  return entries.some((e) => typeof e === 'object' && e !== null && (e as { selector?: string }).selector === selector);
}
