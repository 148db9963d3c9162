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

/** i32 locals $r0.. holding each accumulator row's byte offset r·8·S, and their initialisation. */
function rowOffsets(count) {
  return {
    locals: range(count)
      .map((r) => `(local $r${r} i32)`)
      .join(' '),
    init: range(count)
      .map(
        (r) => `
    (local.set $r${r} (i32.mul (i32.const ${8 * r}) (local.get $S)))`,
      )
      .join(''),
  };
}

/**
 * The loop both kernels share: every row (t counting down from n), the row's k regressors splatted
 * into $x0.., then every pair of series of the row ($py walking the block, $pend its row end);
 * `rowStart` runs before the pairs of a row, `pair` is the pair's body (it advances $py itself).
 */
function overRows(k, rowStart, pair) {
  return `
    (local.set $py (local.get $y))
    (local.set $px (local.get $xs))
    (local.set $t (local.get $n))
    (block $rowsDone (loop $rows
      (br_if $rowsDone (i32.eqz (local.get $t)))${range(k)
        .map(
          (f) => `
      (local.set $x${f} (f64x2.splat (f64.load offset=${8 * f} (local.get $px))))`,
        )
        .join('')}${rowStart}
      (block $pairsDone (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $py) (local.get $pend)))${pair}
        (br $pairs)))
      (local.set $px (i32.add (local.get $px) (i32.const ${8 * k})))
      (local.set $t (i32.sub (local.get $t) (i32.const 1)))
      (br $rows)))
  )`;
}

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
  const rows = rowOffsets(k + 3);
  return `
  (func (export "moments_${k}") (param $xs i32) (param $y i32) (param $n i32) (param $S i32) (param $out i32)
    (local $t i32) (local $py i32) (local $pend i32) (local $po i32) (local $px i32) (local $q i32) ${rows.locals} ${locals}
    (local.set $one (f64x2.splat (f64.const 1)))${rows.init}${overRows(
      k,
      `
      (local.set $po (local.get $out))
      (local.set $pend (i32.add (local.get $py) (i32.shl (local.get $S) (i32.const 3))))`,
      `
          (local.set $v (v128.load (local.get $py)))
          (local.set $mask (f64x2.eq (local.get $v) (local.get $v)))
          (local.set $v (v128.and (local.get $v) (local.get $mask)))${body}
          (local.set $py (i32.add (local.get $py) (i32.const 16)))
          (local.set $po (i32.add (local.get $po) (i32.const 16)))`,
    )}`;
}

function resid(k) {
  const xv = range(k).map((f) => `$x${f}`);
  const locals = ['$v', '$e', '$d', '$mask', ...xv].map((l) => `(local ${l} v128)`).join(' ');
  const rows = rowOffsets(k + 2);
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
    (local $t i32) (local $py i32) (local $pend i32) (local $pp i32) (local $po i32) (local $px i32) (local $q i32) (local $sOff i32) ${rows.locals} ${locals}
    ${rows.init}
    (local.set $sOff (i32.shl (local.get $S) (i32.const 3)))${overRows(
      k,
      `
      (local.set $pp (local.get $par))
      (local.set $po (local.get $out))
      (local.set $pend (i32.add (local.get $py) (local.get $sOff)))`,
      `
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
          (local.set $po (i32.add (local.get $po) (i32.const 16)))`,
    )}`;
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

/**
 * rank(src, n, dst, w): average ranks (1-based, ties share the mean of their ranks) of the n
 * non-NaN f64 at src into dst, with w a workspace of 5n i32 + 3·2048 i32. The algorithm of
 * stats/ranks.ts: order-preserving (high, low) words of each value (−0 keyed as +0), an LSD radix
 * argsort on the high word (three 11-bit passes), then each run of equal high words ordered by the
 * low word (insertion sort, or four 8-bit radix passes above 32 values) and given mean ranks per
 * run of equal keys. Ranks are exact small integers or halves, so any correct order gives the
 * same bits as the JavaScript kernel.
 */
function rank() {
  const ld = (base, i) => `(i32.load (i32.add (local.get ${base}) (i32.shl ${i} (i32.const 2))))`;
  const st = (base, i, v) => `(i32.store (i32.add (local.get ${base}) (i32.shl ${i} (i32.const 2))) ${v})`;
  const g = (l) => `(local.get ${l})`;
  return `
  (func $sortRunByLow (param $idx i32) (param $tmp i32) (param $lo i32) (param $cnt i32) (param $i i32) (param $j i32)
    (local $shift i32) (local $src i32) (local $dst i32) (local $a i32) (local $d i32) (local $sum i32) (local $c i32) (local $p i32) (local $q i32) (local $sw i32)
    (local.set $src (local.get $idx)) (local.set $dst (local.get $tmp))
    (local.set $shift (i32.const 0))
    (block $done (loop $passes
      (br_if $done (i32.ge_u ${g('$shift')} (i32.const 32)))
      (memory.fill ${g('$cnt')} (i32.const 0) (i32.const 1024))
      (local.set $a ${g('$i')})
      (block $h (loop $hl (br_if $h (i32.ge_u ${g('$a')} ${g('$j')}))
        (local.set $p (i32.add ${g('$cnt')} (i32.shl (i32.and (i32.shr_u ${ld('$lo', ld('$src', g('$a')))} ${g('$shift')}) (i32.const 255)) (i32.const 2))))
        (i32.store ${g('$p')} (i32.add (i32.load ${g('$p')}) (i32.const 1)))
        (local.set $a (i32.add ${g('$a')} (i32.const 1))) (br $hl)))
      (local.set $sum ${g('$i')}) (local.set $d (i32.const 0))
      (block $s (loop $sl (br_if $s (i32.ge_u ${g('$d')} (i32.const 256)))
        (local.set $p (i32.add ${g('$cnt')} (i32.shl ${g('$d')} (i32.const 2))))
        (local.set $c (i32.load ${g('$p')})) (i32.store ${g('$p')} ${g('$sum')}) (local.set $sum (i32.add ${g('$sum')} ${g('$c')}))
        (local.set $d (i32.add ${g('$d')} (i32.const 1))) (br $sl)))
      (local.set $a ${g('$i')})
      (block $m (loop $ml (br_if $m (i32.ge_u ${g('$a')} ${g('$j')}))
        (local.set $q ${ld('$src', g('$a'))})
        (local.set $p (i32.add ${g('$cnt')} (i32.shl (i32.and (i32.shr_u ${ld('$lo', g('$q'))} ${g('$shift')}) (i32.const 255)) (i32.const 2))))
        (local.set $c (i32.load ${g('$p')})) (i32.store ${g('$p')} (i32.add ${g('$c')} (i32.const 1)))
        ${st('$dst', g('$c'), g('$q'))}
        (local.set $a (i32.add ${g('$a')} (i32.const 1))) (br $ml)))
      (local.set $sw ${g('$src')}) (local.set $src ${g('$dst')}) (local.set $dst ${g('$sw')})
      (local.set $shift (i32.add ${g('$shift')} (i32.const 8)))
      (br $passes)))
    ;; four passes: the order is back in idx
  )
  (func (export "rank") (param $src i32) (param $n i32) (param $dst i32) (param $w i32)
    (local $i i32) (local $j i32) (local $a i32) (local $b i32) (local $p i32) (local $q i32) (local $z i32) (local $x i32) (local $lx i32)
    (local $h i32) (local $l i32) (local $bits i64) (local $n4 i32) (local $pass i32) (local $shift i32) (local $base i32) (local $sum i32) (local $c i32) (local $d i32) (local $k i32) (local $t i32)
    (local $keyA i32) (local $keyB i32) (local $idxA i32) (local $idxB i32) (local $lo i32) (local $cnt i32) (local $sw i32) (local $r f64)
    (local.set $n4 (i32.shl ${g('$n')} (i32.const 2)))
    (local.set $keyA ${g('$w')}) (local.set $keyB (i32.add ${g('$keyA')} ${g('$n4')})) (local.set $idxA (i32.add ${g('$keyB')} ${g('$n4')}))
    (local.set $idxB (i32.add ${g('$idxA')} ${g('$n4')})) (local.set $lo (i32.add ${g('$idxB')} ${g('$n4')})) (local.set $cnt (i32.add ${g('$lo')} ${g('$n4')}))
    (memory.fill ${g('$cnt')} (i32.const 0) (i32.const ${3 * 2048 * 4}))
    ;; keys and the three histograms
    (local.set $i (i32.const 0))
    (block $kd (loop $kl (br_if $kd (i32.ge_u ${g('$i')} ${g('$n')}))
      (local.set $bits (i64.load (i32.add ${g('$src')} (i32.shl ${g('$i')} (i32.const 3)))))
      (local.set $h (i32.wrap_i64 (i64.shr_u ${g('$bits')} (i64.const 32))))
      (local.set $l (i32.wrap_i64 ${g('$bits')}))
      (if (i32.lt_s ${g('$h')} (i32.const 0))
        (then (local.set $h (i32.xor ${g('$h')} (i32.const -1))) (local.set $l (i32.xor ${g('$l')} (i32.const -1))))
        (else (local.set $h (i32.or ${g('$h')} (i32.const 0x80000000)))))
      (if (i32.and (i32.eq ${g('$h')} (i32.const 0x7fffffff)) (i32.eq ${g('$l')} (i32.const -1)))
        (then (local.set $h (i32.const 0x80000000)) (local.set $l (i32.const 0))))
      ${st('$keyA', g('$i'), g('$h'))} ${st('$lo', g('$i'), g('$l'))} ${st('$idxA', g('$i'), g('$i'))}
      (local.set $p (i32.add ${g('$cnt')} (i32.shl (i32.and ${g('$h')} (i32.const 2047)) (i32.const 2))))
      (i32.store ${g('$p')} (i32.add (i32.load ${g('$p')}) (i32.const 1)))
      (local.set $p (i32.add ${g('$cnt')} (i32.shl (i32.add (i32.const 2048) (i32.and (i32.shr_u ${g('$h')} (i32.const 11)) (i32.const 2047))) (i32.const 2))))
      (i32.store ${g('$p')} (i32.add (i32.load ${g('$p')}) (i32.const 1)))
      (local.set $p (i32.add ${g('$cnt')} (i32.shl (i32.add (i32.const 4096) (i32.shr_u ${g('$h')} (i32.const 22))) (i32.const 2))))
      (i32.store ${g('$p')} (i32.add (i32.load ${g('$p')}) (i32.const 1)))
      (local.set $i (i32.add ${g('$i')} (i32.const 1))) (br $kl)))
    ;; three LSD passes of 11 bits on the high word
    (local.set $pass (i32.const 0))
    (block $pd (loop $pl (br_if $pd (i32.ge_u ${g('$pass')} (i32.const 3)))
      (local.set $shift (i32.mul ${g('$pass')} (i32.const 11)))
      (local.set $base (i32.add ${g('$cnt')} (i32.mul ${g('$pass')} (i32.const 8192))))
      (local.set $sum (i32.const 0)) (local.set $d (i32.const 0))
      (block $sd (loop $sl (br_if $sd (i32.ge_u ${g('$d')} (i32.const 2048)))
        (local.set $p (i32.add ${g('$base')} (i32.shl ${g('$d')} (i32.const 2))))
        (local.set $c (i32.load ${g('$p')})) (i32.store ${g('$p')} ${g('$sum')}) (local.set $sum (i32.add ${g('$sum')} ${g('$c')}))
        (local.set $d (i32.add ${g('$d')} (i32.const 1))) (br $sl)))
      (local.set $i (i32.const 0))
      (block $md (loop $ml (br_if $md (i32.ge_u ${g('$i')} ${g('$n')}))
        (local.set $k ${ld('$keyA', g('$i'))})
        (local.set $p (i32.add ${g('$base')} (i32.shl (i32.and (i32.shr_u ${g('$k')} ${g('$shift')}) (i32.const 2047)) (i32.const 2))))
        (local.set $t (i32.load ${g('$p')})) (i32.store ${g('$p')} (i32.add ${g('$t')} (i32.const 1)))
        ${st('$keyB', g('$t'), g('$k'))} ${st('$idxB', g('$t'), ld('$idxA', g('$i')))}
        (local.set $i (i32.add ${g('$i')} (i32.const 1))) (br $ml)))
      (local.set $sw ${g('$keyA')}) (local.set $keyA ${g('$keyB')}) (local.set $keyB ${g('$sw')})
      (local.set $sw ${g('$idxA')}) (local.set $idxA ${g('$idxB')}) (local.set $idxB ${g('$sw')})
      (local.set $pass (i32.add ${g('$pass')} (i32.const 1))) (br $pl)))
    ;; runs of equal high words: order by the low word, then mean ranks per run of equal keys
    (local.set $i (i32.const 0))
    (block $wd (loop $wl (br_if $wd (i32.ge_u ${g('$i')} ${g('$n')}))
      (local.set $k ${ld('$keyA', g('$i'))})
      (local.set $j (i32.add ${g('$i')} (i32.const 1)))
      (block $rd (loop $rl
        (br_if $rd (i32.ge_u ${g('$j')} ${g('$n')}))
        (br_if $rd (i32.ne ${ld('$keyA', g('$j'))} ${g('$k')}))
        (local.set $j (i32.add ${g('$j')} (i32.const 1))) (br $rl)))
      (if (i32.eq ${g('$j')} (i32.add ${g('$i')} (i32.const 1)))
        (then (f64.store (i32.add ${g('$dst')} (i32.shl ${ld('$idxA', g('$i'))} (i32.const 3))) (f64.convert_i32_u ${g('$j')})))
        (else
          (if (i32.gt_u (i32.sub ${g('$j')} ${g('$i')}) (i32.const 32))
            (then (call $sortRunByLow ${g('$idxA')} ${g('$idxB')} ${g('$lo')} ${g('$cnt')} ${g('$i')} ${g('$j')}))
            (else
              (local.set $a (i32.add ${g('$i')} (i32.const 1)))
              (block $id (loop $il (br_if $id (i32.ge_u ${g('$a')} ${g('$j')}))
                (local.set $x ${ld('$idxA', g('$a'))}) (local.set $lx ${ld('$lo', g('$x'))})
                (local.set $b ${g('$a')})
                (block $bd (loop $bl
                  (br_if $bd (i32.le_u ${g('$b')} ${g('$i')}))
                  (br_if $bd (i32.le_u ${ld('$lo', ld('$idxA', `(i32.sub ${g('$b')} (i32.const 1))`))} ${g('$lx')}))
                  ${st('$idxA', g('$b'), ld('$idxA', `(i32.sub ${g('$b')} (i32.const 1))`))}
                  (local.set $b (i32.sub ${g('$b')} (i32.const 1))) (br $bl)))
                ${st('$idxA', g('$b'), g('$x'))}
                (local.set $a (i32.add ${g('$a')} (i32.const 1))) (br $il)))))
          (local.set $p ${g('$i')})
          (block $td (loop $tl (br_if $td (i32.ge_u ${g('$p')} ${g('$j')}))
            (local.set $lx ${ld('$lo', ld('$idxA', g('$p')))})
            (local.set $q (i32.add ${g('$p')} (i32.const 1)))
            (block $qd (loop $ql
              (br_if $qd (i32.ge_u ${g('$q')} ${g('$j')}))
              (br_if $qd (i32.ne ${ld('$lo', ld('$idxA', g('$q')))} ${g('$lx')}))
              (local.set $q (i32.add ${g('$q')} (i32.const 1))) (br $ql)))
            (local.set $r (f64.mul (f64.convert_i32_u (i32.add (i32.add ${g('$p')} ${g('$q')}) (i32.const 1))) (f64.const 0.5)))
            (local.set $z ${g('$p')})
            (block $zd (loop $zl (br_if $zd (i32.ge_u ${g('$z')} ${g('$q')}))
              (f64.store (i32.add ${g('$dst')} (i32.shl ${ld('$idxA', g('$z'))} (i32.const 3))) ${g('$r')})
              (local.set $z (i32.add ${g('$z')} (i32.const 1))) (br $zl)))
            (local.set $p ${g('$q')}) (br $tl)))))
      (local.set $i ${g('$j')}) (br $wl)))
  )`;
}

/**
 * nw_p(z, u, us, rows, n, w, L, g, keep, out): the Newey-West score products of two series (one f64x2
 * lane each) over their samples, compacted (step i = the i-th sample row of each lane), p = k
 * (+ 1 with the intercept as a column of ones in z):
 *   g_i = (z[rows_i] · u_i) & keep      z row-major nRows×p; rows: i32 pair per step; u: f64x2 per
 *                                        step, us bytes apart (16 for a compacted pair, 8·S for two
 *                                        adjacent series of a row-major block of S); keep: per
 *                                        coefficient, all-ones or zero bits
 *   h_i = 0.5·g_i + Σ_{l=1}^{min(L, i)} w_l·g_(i−l)   w: f64x2 per lag (0 beyond a lane's own lag)
 *   out[a·p + q] = Σ_i g_i,a · h_i,q     p×p f64x2, each sum in step order from 0
 * g_i is kept at g + 16·p·i for the lag terms. These are the operations of the JavaScript columns
 * of stats/neweyWestBatch.ts (scoreColumns, lagColumns, dotRow) in the same order on each lane.
 * A lane padded past its sample (u = 0 on a finite z row, weights 0) adds zeros: no sum changes.
 */
function nw(p) {
  const ps = range(p);
  const locals = [
    '$uv',
    '$wl',
    '$half',
    ...ps.map((a) => `$g${a}`),
    ...ps.map((a) => `$h${a}`),
    ...ps.map((a) => `$k${a}`),
    ...ps.flatMap((a) => ps.map((q) => `$m${a}_${q}`)),
  ]
    .map((l) => `(local ${l} v128)`)
    .join(' ');
  const zval = (a) =>
    `(f64x2.replace_lane 1 (f64x2.splat (f64.load offset=${8 * a} (local.get $pz0))) (f64.load offset=${8 * a} (local.get $pz1)))`;
  return `
  (func (export "nw_${p}") (param $z i32) (param $u i32) (param $us i32) (param $rows i32) (param $n i32) (param $w i32) (param $L i32) (param $g i32) (param $keep i32) (param $out i32)
    (local $i i32) (local $lm i32) (local $l i32) (local $pz0 i32) (local $pz1 i32) (local $pg i32) (local $pl i32) (local $pw i32) ${locals}
    (local.set $half (f64x2.splat (f64.const 0.5)))${ps
      .map(
        (a) => `
    (local.set $k${a} (v128.load offset=${16 * a} (local.get $keep)))`,
      )
      .join('')}
    (local.set $pg (local.get $g))
    (local.set $i (i32.const 0))
    (block $stepsDone (loop $steps
      (br_if $stepsDone (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $uv (v128.load (local.get $u)))
      (local.set $pz0 (i32.add (local.get $z) (i32.mul (i32.load (local.get $rows)) (i32.const ${8 * p}))))
      (local.set $pz1 (i32.add (local.get $z) (i32.mul (i32.load offset=4 (local.get $rows)) (i32.const ${8 * p}))))${ps
        .map(
          (a) => `
      (local.set $g${a} (v128.and (f64x2.mul ${zval(a)} (local.get $uv)) (local.get $k${a})))
      (v128.store offset=${16 * a} (local.get $pg) (local.get $g${a}))
      (local.set $h${a} (f64x2.mul (local.get $half) (local.get $g${a})))`,
        )
        .join('')}
      (local.set $lm (select (local.get $L) (local.get $i) (i32.lt_u (local.get $L) (local.get $i))))
      (local.set $l (i32.const 1))
      (local.set $pl (i32.sub (local.get $pg) (i32.const ${16 * p})))
      (local.set $pw (i32.add (local.get $w) (i32.const 16)))
      (block $lagsDone (loop $lags
        (br_if $lagsDone (i32.gt_u (local.get $l) (local.get $lm)))
        (local.set $wl (v128.load (local.get $pw)))${ps
          .map(
            (a) => `
        (local.set $h${a} (f64x2.add (local.get $h${a}) (f64x2.mul (local.get $wl) (v128.load offset=${16 * a} (local.get $pl)))))`,
          )
          .join('')}
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (local.set $pl (i32.sub (local.get $pl) (i32.const ${16 * p})))
        (local.set $pw (i32.add (local.get $pw) (i32.const 16)))
        (br $lags)))${ps
          .flatMap((a) =>
            ps.map(
              (q) => `
      (local.set $m${a}_${q} (f64x2.add (local.get $m${a}_${q}) (f64x2.mul (local.get $g${a}) (local.get $h${q}))))`,
            ),
          )
          .join('')}
      (local.set $u (i32.add (local.get $u) (local.get $us)))
      (local.set $rows (i32.add (local.get $rows) (i32.const 8)))
      (local.set $pg (i32.add (local.get $pg) (i32.const ${16 * p})))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $steps)))${ps
        .flatMap((a) =>
          ps.map(
            (q) => `
    (v128.store offset=${16 * (a * p + q)} (local.get $out) (local.get $m${a}_${q}))`,
          ),
        )
        .join('')}
  )`;
}

/**
 * gram_k(zx, zs, rows, n, n0, n1, center, out): the regressor means and centred Gram of two
 * series' samples (one f64x2 lane each; step i = the i-th sample row of each lane, rows as in nw_p,
 * lane j's steps i >= n_j are padding and masked to 0), x_i,f at zx + zs·row + 8·f:
 *   mean_f = (Σ_i x_i,f) / n_j   (0 when center = 0)
 *   C_fq = Σ_i (x_i,f − mean_f)·(x_i,q − mean_q)   for q <= f, each sum in step order from 0
 * written as k f64x2 means at out, then the lower triangle row by row (f, q <= f). The same
 * operations in the same order as sampleMeans / centredColumns / dotColumns in neweyWestBatch.ts.
 */
function gram(k) {
  const fs = range(k);
  const tri = fs.flatMap((f) => range(f + 1).map((q) => [f, q]));
  const locals = ['$mask', '$cnt', ...fs.map((f) => `$s${f}`), ...fs.map((f) => `$d${f}`), ...tri.map(([f, q]) => `$c${f}_${q}`)]
    .map((l) => `(local ${l} v128)`)
    .join(' ');
  const xval = (f) =>
    `(f64x2.replace_lane 1 (f64x2.splat (f64.load offset=${8 * f} (local.get $pz0))) (f64.load offset=${8 * f} (local.get $pz1)))`;
  const steps = (body) => `
    (local.set $i (i32.const 0))
    (local.set $pr (local.get $rows))
    (block $done (loop $step
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $mask (i64x2.gt_s (local.get $cnt) (i64x2.splat (i64.extend_i32_u (local.get $i)))))
      (local.set $pz0 (i32.add (local.get $zx) (i32.mul (i32.load (local.get $pr)) (local.get $zs))))
      (local.set $pz1 (i32.add (local.get $zx) (i32.mul (i32.load offset=4 (local.get $pr)) (local.get $zs))))${body}
      (local.set $pr (i32.add (local.get $pr) (i32.const 8)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $step)))`;
  return `
  (func (export "gram_${k}") (param $zx i32) (param $zs i32) (param $rows i32) (param $n i32) (param $n0 i32) (param $n1 i32) (param $center i32) (param $out i32)
    (local $i i32) (local $pr i32) (local $pz0 i32) (local $pz1 i32) ${locals}
    (local.set $cnt (i64x2.replace_lane 1 (i64x2.splat (i64.extend_i32_u (local.get $n0))) (i64.extend_i32_u (local.get $n1))))${steps(
      fs
        .map(
          (f) => `
      (local.set $s${f} (f64x2.add (local.get $s${f}) (v128.and ${xval(f)} (local.get $mask))))`,
        )
        .join(''),
    )}${fs
      .map(
        (f) => `
    (local.set $s${f} (f64x2.div (local.get $s${f}) (f64x2.convert_low_i32x4_u (i32x4.replace_lane 1 (i32x4.splat (local.get $n0)) (local.get $n1)))))
    (if (i32.eqz (local.get $center)) (then (local.set $s${f} (f64x2.splat (f64.const 0)))))
    (v128.store offset=${16 * f} (local.get $out) (local.get $s${f}))`,
      )
      .join('')}${steps(
      [
        ...fs.map(
          (f) => `
      (local.set $d${f} (v128.and (f64x2.sub ${xval(f)} (local.get $s${f})) (local.get $mask)))`,
        ),
        ...tri.map(
          ([f, q]) => `
      (local.set $c${f}_${q} (f64x2.add (local.get $c${f}_${q}) (f64x2.mul (local.get $d${f}) (local.get $d${q}))))`,
        ),
      ].join(''),
    )}${tri
      .map(
        ([f, q], e) => `
    (v128.store offset=${16 * (k + e)} (local.get $out) (local.get $c${f}_${q}))`,
      )
      .join('')}
  )`;
}

export function wat() {
  const fns = [
    ...range(MAX_K).flatMap((i) => [moments(i + 1), resid(i + 1)]),
    missing(),
    rank(),
    ...range(MAX_K + 1).map((i) => nw(i + 1)),
    ...range(MAX_K).map((i) => gram(i + 1)),
  ];
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
  const lines = b64
    .match(/.{1,100}/g)
    .map((l) => `  '${l}'`)
    .join(',\n');
  const ts = `/**
 * Generated by scripts/gen-ols-wasm.mjs from olsKernels.wat (beside this file): do not edit.
 * The WebAssembly SIMD kernels of the batched OLS (moments_k and resid_k for k = 1..${MAX_K}, missing,
 * rank) and of the Newey-West batch (nw_p for p = 1..${MAX_K + 1}, gram_k for k = 1..${MAX_K}),
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
  const watFile = join(outDir, 'olsKernels.wat'),
    tsFile = join(outDir, 'olsKernels.ts');
  if (process.argv.includes('--check')) {
    const same = readFileSync(watFile, 'utf8') === text && readFileSync(tsFile, 'utf8') === ts;
    if (!same) {
      console.error('src/stats/olsKernels.{wat,ts} are stale: run node scripts/gen-ols-wasm.mjs');
      process.exit(1);
    }
    console.log('olsKernels up to date');
  } else {
    writeFileSync(watFile, text);
    writeFileSync(tsFile, ts);
    console.log(`wrote ${watFile} and ${tsFile}`);
  }
}
