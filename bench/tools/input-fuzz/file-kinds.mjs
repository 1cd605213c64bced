// Paths that are not what a user meant to give: each kind of file system object a command may
// be handed where it wants a readable text file (or a directory), made once in the sandbox.
import { closeSync, mkdirSync, openSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Bytes of the sparse file past Node's 2 GiB read limit: a huge file that costs no disk. */
const SPARSE_BYTES = 3 * 1024 * 1024 * 1024;

/**
 * name → path of each odd kind of file: a directory, a named pipe (a read blocks forever), an
 * endless device (/dev/zero), /dev/null, a dangling link, a link loop, a file whose read fails
 * (/proc/self/mem), a 3 GiB sparse file, an empty file, one of 100 MB of spaces.
 */
export function makeFileKinds(dir) {
  mkdirSync(dir, { recursive: true });
  const p = (n) => join(dir, n);
  mkdirSync(p('a-directory'));
  execFileSync('mkfifo', [p('a-fifo')]);
  symlinkSync('/dev/zero', p('dev-zero-link'));
  symlinkSync('/dev/urandom', p('dev-urandom-link'));
  symlinkSync('/dev/null', p('dev-null-link'));
  symlinkSync(p('nothing-here'), p('dangling-link'));
  symlinkSync(p('loop-b'), p('loop-a'));
  symlinkSync(p('loop-a'), p('loop-b'));
  symlinkSync('/proc/self/mem', p('proc-mem-link'));
  const fd = openSync(p('sparse-3g.json'), 'w');
  ftruncateSync(fd, SPARSE_BYTES);
  closeSync(fd);
  writeFileSync(p('empty.json'), '');
  writeFileSync(p('spaces-100m.json'), Buffer.alloc(100 * 1024 * 1024, 0x20));
  return {
    'a directory': p('a-directory'),
    'a named pipe': p('a-fifo'),
    'a link to /dev/zero': p('dev-zero-link'),
    'a link to /dev/urandom': p('dev-urandom-link'),
    'a link to /dev/null': p('dev-null-link'),
    'a dangling link': p('dangling-link'),
    'a link loop': p('loop-a'),
    'a link to /proc/self/mem': p('proc-mem-link'),
    'a 3 GiB sparse file': p('sparse-3g.json'),
    'an empty file': p('empty.json'),
    '100 MB of spaces': p('spaces-100m.json'),
    'a missing file': p('no-such-file.json'),
    'a path under a file': join(p('empty.json'), 'inside.json'),
  };
}

/** Text mutations of a file's content: truncations, encodings, nesting, binary. */
export function textMutations(text, seedRandom) {
  const out = [];
  const bytes = Buffer.from(text);
  for (const frac of [0.01, 0.3, 0.5, 0.77, 0.99]) out.push([`truncated at ${Math.round(frac * 100)}%`, bytes.subarray(0, Math.floor(bytes.length * frac))]);
  out.push(['a UTF-8 BOM first', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes])]);
  out.push(['UTF-16LE with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])]);
  out.push(['CRLF line ends', Buffer.from(text.replace(/\n/g, '\r\n'))]);
  out.push(['an invalid UTF-8 byte inside', Buffer.concat([bytes.subarray(0, bytes.length >> 1), Buffer.from([0xc3, 0x28]), bytes.subarray(bytes.length >> 1)])]);
  out.push(['NUL bytes inside', Buffer.concat([bytes.subarray(0, bytes.length >> 1), Buffer.alloc(8), bytes.subarray(bytes.length >> 1)])]);
  out.push(['100,000 nested arrays', Buffer.from(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)]);
  out.push(['100,000 nested objects', Buffer.from(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`)]);
  out.push(['random bytes', Buffer.from(Array.from({ length: 4096 }, () => Math.floor(seedRandom() * 256)))]);
  out.push(['YAML instead of JSON', Buffer.from('name: x\nworkload:\n  kind: register\n')]);
  out.push(['JSON null', Buffer.from('null')]);
  out.push(['a JSON array', Buffer.from('[1,2,3]')]);
  out.push(['a JSON string', Buffer.from('"hello"')]);
  out.push(['a JSON number', Buffer.from('1e999')]);
  out.push(['whitespace only', Buffer.from(' \n\t\n')]);
  out.push(['the content twice', Buffer.from(text + text)]);
  return out;
}
