// A probe for "what does garbage cost this code": after every event of ROOT's event loop, N more
// small objects that die at once (a chain of N literals, each the shape { a, b, c }, the last kept
// only until the next event). Both the allocated-bytes and the CPU figure of garbage-cost.mjs use it;
// with N = 0 the wrapper still runs, so a comparison with and without garbage runs the same code.
export async function garbageHook(root) {
  const { EventLoop } = await import(`${root}/dist/sim/world/event-loop.js`);
  const step = EventLoop.prototype.step;
  const hook = { objectsPerEvent: 0, kept: undefined };
  EventLoop.prototype.step = function () {
    const ran = step.call(this);
    let g;
    for (let i = 0; i < hook.objectsPerEvent; i++) g = { a: i, b: g, c: ran };
    hook.kept = g;
    return ran;
  };
  return hook;
}
