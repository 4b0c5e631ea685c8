// Times the peers on the shared workloads (median of N runs) and prints one JSON object: {name: milliseconds}.
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import aslValidator from 'asl-validator';
import jsonata from 'jsonata';
import { JSONATA_EXPRESSIONS, jsonataInput } from './expressions.mjs';

const dir = process.env.WORKLOADS ?? new URL('../../../shared/bench/workloads/', import.meta.url).pathname;
const runs = Number(process.env.RUNS ?? 5);
// Untimed calls before the validate timing, as in ../wasm/run.mjs (JIT warm-up on both sides, like
// criterion's 1 s warm-up of the native bench): at least 3 calls, for at least WARMUP_MS.
const warmupMs = Number(process.env.WARMUP_MS ?? 1000);
function warmUp(fn) {
  const until = performance.now() + warmupMs;
  for (let n = 0; n < 3 || performance.now() < until; n++) fn();
}
const only = process.argv.slice(2);
const load = (f) => JSON.parse(readFileSync(dir + f, 'utf8'));

async function median(fn) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

async function execution(name, repeat = 1) {
  const def = load(`${name}.asl.json`);
  const input = load(`${name}.input.json`);
  const machine = new StateMachine(def, { validationOptions: { checkPaths: false, checkArn: false } });
  const once = async () => {
    for (let i = 0; i < repeat; i++) await machine.run(input).result;
  };
  // Warmed up like the validator (and like ../wasm/run.mjs and criterion): JIT-compiled, not first runs.
  const until = performance.now() + warmupMs;
  for (let n = 0; n < 3 || performance.now() < until; n++) await once();
  return median(once);
}

export { JSONATA_EXPRESSIONS };

const benches = {
  loop: () => execution('loop'),
  map: () => execution('map'),
  chain: () => execution('chain', 100),
  'validate-2000': () => {
    const def = load('validate-2000.asl.json');
    warmUp(() => aslValidator(def));
    return median(() => aslValidator(def));
  },
};
for (const [name, expr] of Object.entries(JSONATA_EXPRESSIONS)) {
  benches[name] = () => {
    const compiled = jsonata(expr);
    return median(() => compiled.evaluate(jsonataInput));
  };
}

const out = {};
for (const [name, fn] of Object.entries(benches)) {
  if (only.length && !only.includes(name)) continue;
  out[name] = await fn();
}
console.log(JSON.stringify(out));
