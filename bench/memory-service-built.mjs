// The memory bench's service process as certdesk ships it (issue 14 §6): the electron-vite build of the
// utilityProcess entry, out/main/service-process.js, under Node 24 (the Node that Electron 45 embeds),
// with Node's IPC channel standing in for Electron's parentPort. Plain JavaScript, so Node loads no
// TypeScript stripper: what it measures is the bundle, as the app runs it. Started by
// bench/memory-host.ts (CERTDESK_BENCH_SERVICE=shipped); nothing else runs it.
if (!process.send)
  throw new Error('bench/memory-service-built.mjs runs only as a child with an IPC channel (bench/memory-host.ts forks it).');
process.parentPort = {
  postMessage: (message) => process.send(message),
  on: (_event, listener) => process.on('message', (data) => listener({ data })),
};
// The host going away ends this process too: no service is left behind by a bench that stopped.
process.on('disconnect', () => process.exit(0));
// bench/memory-bench.ts has already refused a bundle that is missing or older than the sources.
await import(new URL('../out/main/service-process.js', import.meta.url).href);
