// A field given twice in a scenario file is refused naming it: JSON.parse kept the last value
// without a word (`"durationMs": 60000` high in the file, `"durationMs": 300` lower down: a
// 300 ms run). Keys are compared decoded, per object; strings holding braces, commas and quotes
// are skipped whole.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateField } from '../../../sim/scenario/duplicate-field.ts';
import { parseScenarioText } from '../../../sim/scenario/parse.ts';
import { refused } from '../../cli/capture-cli.ts';
import { scratchDir } from '../../scratch-dir.ts';

describe('a field given twice', () => {
  it('is found, with its path, in any object of the file', () => {
    expect(duplicateField('{"a":1,"a":2}')).toBe('a');
    expect(duplicateField(' { "a" : 1 , "a" : 2 } ')).toBe('a');
    expect(duplicateField('{"a":{"b":1,"c":{"d":[1,{"e":1,"e":2}]}}}')).toBe('a.c.d[1].e');
    expect(duplicateField('[{"x":1},{"y":1,"y":2}]')).toBe('[1].y');
    expect(duplicateField('{"a":[],"b":{},"a":0}')).toBe('a');
    expect(duplicateField('{"na\\u006de":1,"name":2}')).toBe('name');
    expect(duplicateField('{"s":"\\"a\\":1,","a":2,"a":3}')).toBe('a');
    expect(duplicateField('{"":1,"":2}')).toBe('""');
  });

  it('is not: one key per object, the same key in other objects, keys inside strings', () => {
    expect(duplicateField('{"a":1,"b":{"a":1}}')).toBeUndefined();
    expect(duplicateField('[{"x":1},{"x":1}]')).toBeUndefined();
    expect(duplicateField('{"a":{"x":1},"b":{"x":2}}')).toBeUndefined();
    expect(duplicateField('{"k":"{\\"k\\":1,\\"k\\":2}","j":[]}')).toBeUndefined();
    expect(duplicateField('"x"')).toBeUndefined();
    expect(duplicateField(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)).toBeUndefined();
  });

  it('in a scenario file is refused in one line naming the file and the field', () => {
    const text = '{"name":"twice","workload":{"kind":"register","durationMs":60000,"rateOpsPerSecond":20,"durationMs":300}}';
    expect(() => parseScenarioText(text, 'twice.json')).toThrow(/^twice\.json: workload\.durationMs: given twice \(JSON keeps the last value without a word\): give it once$/);
    expect(parseScenarioText('{"name":"once","workload":{"kind":"register","durationMs":300}}', 'once.json').workload.durationMs).toBe(300);
  });

  it('by detcd run: exit 3 before the run', async () => {
    const file = join(scratchDir('detcd-duplicate-field-'), 'twice.json');
    writeFileSync(file, '{"name":"twice","name":"other","workload":{"kind":"register","durationMs":300}}');
    await refused(['run', '--scenario', file, '--seed', '1', '--quiet'], /twice\.json: name: given twice/);
  });
});
