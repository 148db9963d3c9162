/**
 * Generates the WebAssembly SIMD kernels of the batched OLS (src/stats/olsKernels.ts) from the
 * WebAssembly text written out below, one moments kernel and one residual kernel per number of
 * regressors k = 1..MAX_K, and compiles it with wabt (a devDependency: only this script needs it).
 *
 *   node scripts/gen-ols-wasm.mjs          write src/stats/olsKernels.wat and olsKernels.ts
 *   node scripts/gen-ols-wasm.mjs --check  exit 1 if the committed files differ from a fresh build
 *
 * Layout (all f64, byte addresses are parameters): a strip of S series (S even) over n rows,
 * row-major (row i, series q at y + 8·(i·S + q)); the shifted regressors xs row-major n×k. Each
 * kernel walks the strip two series at a time (one f64x2 lane per series) down all n rows, with
 * every accumulator in a register. The operations on each lane are exactly those of the scalar
 * JavaScript kernels in src/stats/moments.ts (same products, same left-to-right sums, a missing y
 * contributes +0), so the WebAssembly and JavaScript paths give the same bits.
 *
 *   moments_k(xs, y, n, S, out):   for each series q over rows i, with v = y (0 when NaN):
 *     out[f·S + q] = Σ xs[i,f]·v (f < k),  out[k·S + q] = Σ v,  out[(k+1)·S + q] = Σ v²,
 *     out[(k+2)·S + q] = count of non-NaN y
 *   resid_k(xs, y, n, S, par, out): with b_f = par[f·S + q], c = par[k·S + q], m = par[(k+1)·S + q]:
 *     e = (y − c) − (xs_0·b_0 + .. + xs_3·b_3) − (xs_4·b_4 + ..) ... (groups of four factors),
 *     written over y in place; out[q] = Σ e², out[S + q] = Σ (y − m)² over the rows where e is
 *     not NaN.
 *   missing(y, n, S, out): the NaN positions of the block as (row, series) i32 pairs; returns their count.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import wabtInit from 'wabt';

export const MAX_K = 8;
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '../src/stats');

const range = (n) => Array.from({ length: n }, (_, i) => i);

function moments(k) {
  const xv = range(k).map((f) => `$x${f}`);
  const locals = ['$v', '$mask', '$one', ...xv].map((l) => `(local ${l} v128)`).join(' ');
  // accumulator row r of pair p lives at out + 8·(r·S + p): a load, an add and a store per row
  const upd = (row, expr) => `
          (local.set $q (i32.add (local.get $po) (local.get $r${row})))
          (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) ${expr}))`;
  const body = [
    upd(k, '(local.get $v)'),
    upd(k + 1, '(f64x2.mul (local.get $v) (local.get $v))'),
    upd(k + 2, '(v128.and (local.get $one) (local.get $mask))'),
    ...range(k).map((f) => upd(f, `(f64x2.mul (local.get $x${f}) (local.get $v))`)),
  ].join('');
  const rowOffsets = range(k + 3).map((r) => `(local $r${r} i32)`).join(' ');
  const setRows = range(k + 3).map((r) => `
    (local.set $r${r} (i32.mul (i32.const ${8 * r}) (local.get $S)))`).join('');
  return `
  (func (export "moments_${k}") (param $xs i32) (param $y i32) (param $n i32) (param $S i32) (param $out i32)
    (local $t i32) (local $py i32) (local $pend i32) (local $po i32) (local $px i32) (local $q i32) ${rowOffsets} ${locals}
    (local.set $one (f64x2.splat (f64.const 1)))${setRows}
    (local.set $py (local.get $y))
    (local.set $px (local.get $xs))
    (local.set $t (local.get $n))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.eqz (local.get $t)))${range(k).map((f) => `
      (local.set $x${f} (f64x2.splat (f64.load offset=${8 * f} (local.get $px))))`).join('')}
      (local.set $po (local.get $out))
      (local.set $pend (i32.add (local.get $py) (i32.shl (local.get $S) (i32.const 3))))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $py) (local.get $pend)))
          (local.set $v (v128.load (local.get $py)))
          (local.set $mask (f64x2.eq (local.get $v) (local.get $v)))
          (local.set $v (v128.and (local.get $v) (local.get $mask)))${body}
          (local.set $py (i32.add (local.get $py) (i32.const 16)))
          (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br $pairs)))
      (local.set $px (i32.add (local.get $px) (i32.const ${8 * k})))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (br $rows)))
  )`;
}

function resid(k) {
  const xv = range(k).map((f) => `$x${f}`);
  const locals = ['$v', '$e', '$d', '$mask', ...xv].map((l) => `(local ${l} v128)`).join(' ');
  const rowOffsets = range(k + 2).map((r) => `(local $r${r} i32)`).join(' ');
  const setRows = range(k + 2).map((r) => `
    (local.set $r${r} (i32.mul (i32.const ${8 * r}) (local.get $S)))`).join('');
  const par = (row) => `(v128.load (i32.add (local.get $pp) (local.get $r${row})))`;
  const term = (f) => `(f64x2.mul (local.get $x${f}) ${par(f)})`;
  const groups = [];
  for (let f0 = 0; f0 < k; f0 += 4) {
    const fs = range(Math.min(4, k - f0)).map((i) => f0 + i);
    let sum = term(fs[0]);
    for (const f of fs.slice(1)) sum = `(f64x2.add ${sum} ${term(f)})`;
    groups.push(`
          (local.set $e (f64x2.sub (local.get $e) ${sum}))`);
  }
  return `
  (func (export "resid_${k}") (param $xs i32) (param $y i32) (param $n i32) (param $S i32) (param $par i32) (param $out i32)
    (local $t i32) (local $py i32) (local $pend i32) (local $pp i32) (local $po i32) (local $px i32) (local $q i32) (local $sOff i32) ${rowOffsets} ${locals}
    ${setRows}
    (local.set $sOff (i32.shl (local.get $S) (i32.const 3)))
    (local.set $py (local.get $y))
    (local.set $px (local.get $xs))
    (local.set $t (local.get $n))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.eqz (local.get $t)))${range(k).map((f) => `
      (local.set $x${f} (f64x2.splat (f64.load offset=${8 * f} (local.get $px))))`).join('')}
      (local.set $pp (local.get $par))
      (local.set $po (local.get $out))
      (local.set $pend (i32.add (local.get $py) (local.get $sOff)))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $py) (local.get $pend)))
          (local.set $v (v128.load (local.get $py)))
          (local.set $e (f64x2.sub (local.get $v) ${par(k)}))
          (local.set $d (f64x2.sub (local.get $v) ${par(k + 1)}))${groups.join('')}
          (local.set $mask (f64x2.eq (local.get $e) (local.get $e)))
          (v128.store (local.get $po) (f64x2.add (v128.load (local.get $po)) (v128.and (f64x2.mul (local.get $e) (local.get $e)) (local.get $mask))))
          (local.set $q (i32.add (local.get $po) (local.get $sOff)))
          (v128.store (local.get $q) (f64x2.add (v128.load (local.get $q)) (v128.and (f64x2.mul (local.get $d) (local.get $d)) (local.get $mask))))
          (v128.store (local.get $py) (local.get $e))
          (local.set $py (i32.add (local.get $py) (i32.const 16)))
          (local.set $pp (i32.add (local.get $pp) (i32.const 16)))
          (local.set $po (i32.add (local.get $po) (i32.const 16)))
        (br $pairs)))
      (local.set $px (i32.add (local.get $px) (i32.const ${8 * k})))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (br $rows)))
  )`;
}

/**
 * missing(y, n, S, out) -> count: the (row, series) pairs of the NaN values of the block, in row
 * order, as i32 pairs at out (row index i within the block, series q); one f64x2 test per pair of
 * series, a branch only where a lane is NaN.
 */
function missing() {
  const rec = (lane) => `
            (if (i32.ne (i32x4.extract_lane ${2 * lane} (local.get $nan)) (i32.const 0)) (then
              (i32.store (local.get $po) (local.get $i))
              (i32.store offset=4 (local.get $po) (i32.add (local.get $q) (i32.const ${lane})))
              (local.set $po (i32.add (local.get $po) (i32.const 8)))))`;
  return `
  (func (export "missing") (param $y i32) (param $n i32) (param $S i32) (param $out i32) (result i32)
    (local $i i32) (local $q i32) (local $py i32) (local $po i32) (local $nan v128) (local $v v128)
    (local.set $py (local.get $y))
    (local.set $po (local.get $out))
    (local.set $i (i32.const 0))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $q (i32.const 0))
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $q) (local.get $S)))
          (local.set $v (v128.load (local.get $py)))
          (local.set $nan (f64x2.ne (local.get $v) (local.get $v)))
          (if (v128.any_true (local.get $nan)) (then${rec(0)}${rec(1)}))
          (local.set $py (i32.add (local.get $py) (i32.const 16)))
          (local.set $q (i32.add (local.get $q) (i32.const 2)))
        (br $pairs)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    (i32.shr_u (i32.sub (local.get $po) (local.get $out)) (i32.const 3))
  )`;
}

export function wat() {
  const fns = [...range(MAX_K).flatMap((i) => [moments(i + 1), resid(i + 1)]), missing()];
  return `;; Generated by scripts/gen-ols-wasm.mjs: do not edit (see that script for the layout).
(module
  (memory (export "memory") 1)${fns.join('\n')}
)
`;
}

export async function build() {
  const text = wat();
  const wabt = await wabtInit();
  const mod = wabt.parseWat('olsKernels.wat', text, { simd: true });
  mod.validate();
  const { buffer } = mod.toBinary({ log: false, write_debug_names: false });
  mod.destroy();
  const b64 = Buffer.from(buffer).toString('base64');
  const lines = b64.match(/.{1,100}/g).map((l) => `  '${l}'`).join(',\n');
  const ts = `/**
 * Generated by scripts/gen-ols-wasm.mjs from olsKernels.wat (beside this file): do not edit.
 * The WebAssembly SIMD kernels of the batched OLS (moments_k and resid_k for k = 1..${MAX_K}, missing),
 * base64-encoded, ${buffer.length} bytes. Loaded by olsWasm.ts.
 */
export const OLS_KERNELS_MAX_K = ${MAX_K};

export const OLS_KERNELS_BASE64 = [
${lines},
].join('');
`;
  return { text, ts };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { text, ts } = await build();
  const watFile = join(outDir, 'olsKernels.wat'), tsFile = join(outDir, 'olsKernels.ts');
  if (process.argv.includes('--check')) {
    const same = readFileSync(watFile, 'utf8') === text && readFileSync(tsFile, 'utf8') === ts;
    if (!same) { console.error('src/stats/olsKernels.{wat,ts} are stale: run node scripts/gen-ols-wasm.mjs'); process.exit(1); }
    console.log('olsKernels up to date');
  } else {
    writeFileSync(watFile, text);
    writeFileSync(tsFile, ts);
    console.log(`wrote ${watFile} and ${tsFile}`);
  }
}
