// An argument as a POSIX shell reads it back: bare when it holds only characters no shell
// treats specially, else in single quotes (a quote inside as '\''). A page's copyable command
// must run as shown, whatever a file's name holds (spaces, $, quotes).

export function shellWord(arg: string): string {
  if (arg !== '' && /^[A-Za-z0-9_./:=@%+,-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", "'\\''")}'`;
}
