import { kernel } from 'tessera-gpu';
import { lowerWasm, BASELINE_FEATURES, resolveWasmConfig } from 'tessera-gpu-compiler';
const k = kernel`fn k(x: f32[M, N]) -> f32[M, N] { let out = empty_like(x); for tm in tile(M) { out[tm, :] = exp(x[tm, :]); } return out; }`;
const ir = k.prepared().ir;
const a = lowerWasm(ir, resolveWasmConfig(ir, {}), { features: BASELINE_FEATURES, shared: true });
const b = [...a.bytes];
let calls = 0, stores = 0;
for (let i = 0; i < b.length - 1; i++) { if (b[i] === 0x10 && b[i + 1] === 0) calls++; if (b[i] === 0xfd && b[i + 1] === 0x0b) stores++; }
console.log(a.bytes.length, 'call0', calls, 'v128.store', stores, a.uses);
