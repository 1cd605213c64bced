// A replay command's path is pasted into a shell: each word must come back as the one argument it
// was (a space split it in two), and the command must stay on one line (a newline split it).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../../sim/text/shell-word.ts';

const WORDS = [
  'scenarios/kill-leader.json', 'my scenarios/x.json', "it's", '', '-', 'a"b$c`d\\e!f*g?h', 'né.json',
  'a\nb', '\u001b[31mred', 'tab\there', 'cr\r', 'del\u007f', 'c1\u0085', 'ls\u2028ps\u2029', "both'\n\\",
];

describe('shellWord', () => {
  it('leaves a plain path as it is', () => {
    expect(shellWord('reports/kill-leader/seed-1/scenario.json')).toBe('reports/kill-leader/seed-1/scenario.json');
  });

  it('writes every word on one line, which bash reads back as that one word', () => {
    const quoted = WORDS.map(shellWord);
    // eslint-disable-next-line no-control-regex
    for (const q of quoted) expect(q, q).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
    const r = spawnSync('bash', ['-c', `printf '%s\\0' ${quoted.join(' ')}`], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(WORDS);
  });
});
