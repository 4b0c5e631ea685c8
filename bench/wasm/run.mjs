// Times Statewright compiled to wasm (bench/wasm/pkg, wasm-bindgen --target nodejs) on the shared workloads,
// median of N runs like ../peers/run.mjs, and prints one JSON object: {name: milliseconds}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { JSONATA_EXPRESSIONS, jsonataInput } from '../peers/expressions.mjs';

const require = createRequire(import.meta.url);
const sw = require('./pkg/statewright_bench_wasm.js');
const dir = process.env.WORKLOADS ?? new URL('../../../shared/bench/workloads/', import.meta.url).pathname;
const runs = Number(process.env.RUNS ?? 5);
// Untimed calls before the validate timing, as in ../peers/run.mjs and like criterion's 1 s warm-up of
// the native bench: V8 first runs wasm on its baseline compiler and tiers hot functions up in the
// background, so the first calls measure compilation. At least 3 calls, for at least WARMUP_MS.
const warmupMs = Number(process.env.WARMUP_MS ?? 1000);
function warmUp(fn) {
  const until = performance.now() + warmupMs;
  for (let n = 0; n < 3 || performance.now() < until; n++) fn();
}
const read = (f) => readFileSync(dir + f, 'utf8');

function median(fn, setup = () => {}) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    setup();
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

// `mode`: 'run' keeps the history (as the studio's worker does), 'outcome' gives the result alone.
function execution(name, repeat = 1, mode = 'run') {
  const w = new sw.Workload(read(`${name}.asl.json`), read(`${name}.input.json`));
  const once = () => {
    const status = mode === 'outcome' ? w.outcome() : w.run();
    if (status !== 'SUCCEEDED') throw new Error(`${name} did not succeed: ${status}`);
  };
  // Warmed up as ../peers/run.mjs warms the peer up (V8 tiers hot wasm functions up in the background).
  warmUp(() => {
    w.prepare(repeat);
    once();
  });
  // The input copies are made outside the timing, as the native bench does (criterion's iter_batched).
  const t = median(once, () => w.prepare(repeat));
  w.free();
  return t;
}

const out = {};
const text = read('validate-2000.asl.json');
const definition = new sw.Definition(text);
warmUp(() => definition.analyze());
out['validate-2000'] = median(() => definition.analyze());
definition.free();
out.loop = execution('loop');
out.map = execution('map');
out.chain = execution('chain', 100);
out['outcome-loop'] = execution('loop', 1, 'outcome');
out['outcome-map'] = execution('map', 1, 'outcome');
out['outcome-chain'] = execution('chain', 100, 'outcome');
const input = JSON.stringify(jsonataInput);
for (const [name, expr] of Object.entries(JSONATA_EXPRESSIONS)) {
  const q = new sw.Query(expr, input);
  out[name] = median(() => q.evaluate());
  q.free();
}
console.log(JSON.stringify(out));
