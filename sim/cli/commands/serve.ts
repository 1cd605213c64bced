// detcd serve [--port P] [--nodes N] [--seed S]: a simulated cluster advanced in real time
// behind etcd's v3 JSON gateway on 127.0.0.1, so curl and HTTP etcd clients work against it.
import { intOption, parseCommandArgs } from '../harness/args.ts';
import { startServe } from '../serve/serve-cluster.ts';

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('serve', argv, {
    port: { type: 'string' },
    nodes: { type: 'string' },
    seed: { type: 'string' },
  });
  const port = intOption('serve', 'port', values.port, 2379, 0, 65_535);
  const nodes = intOption('serve', 'nodes', values.nodes, 1, 1, 9);
  const seed = intOption('serve', 'seed', values.seed, 1, 0, 2 ** 31 - 1);
  const handle = await startServe({ port, nodes, seed });
  console.log(`detcd serve: ${nodes} simulated member${nodes === 1 ? '' : 's'} (seed ${seed}) on ${handle.endpoint}`);
  console.log(`try: curl -s ${handle.endpoint}/v3/kv/put -d '{"key":"Zm9v","value":"YmFy"}'`);
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await handle.close();
  return 0;
}
