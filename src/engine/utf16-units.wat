;; UTF-16 units of valid UTF-8, sixteen bytes at a time (WebAssembly SIMD; utf16-units.ts copies the
;; bytes in, and counts in JavaScript where SIMD is missing). Assembled into utf16-units-wasm.ts by
;; `npm run wasm`; a test checks that the two agree.
;;
;; In valid UTF-8 every character starts with a byte that is not a continuation byte (10xxxxxx), and
;; takes two UTF-16 units when that byte is a four-byte lead (11110xxx). So the count is the number of
;; bytes, less the continuation bytes, plus the four-byte leads.
;;
;; Memory: the bytes from 0, followed by at least 16 zero bytes (a zero is neither, so the last,
;; partial block of sixteen counts right).
(module
  (memory (export "memory") 17)
  ;; The units of the bytes at [$start, $end).
  (func (export "units") (param $start i32) (param $end i32) (result i32)
    (local $p i32) (local $stop i32) (local $v v128) (local $acc v128) (local $total v128)
    (local $top2 v128) (local $cont v128) (local $three v128)
    (local.set $top2 (i8x16.splat (i32.const 0xc0)))
    (local.set $cont (i8x16.splat (i32.const 0x80)))
    (local.set $three (i8x16.splat (i32.const 0xef)))
    (local.set $p (local.get $start))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        ;; each block adds -1, 0 or +1 to a lane: 127 blocks at most before the lanes are widened
        (local.set $stop (i32.add (local.get $p) (i32.const 2032)))
        (if (i32.gt_u (local.get $stop) (local.get $end)) (then (local.set $stop (local.get $end))))
        (local.set $acc (v128.const i64x2 0 0))
        (loop $block
          (local.set $v (v128.load (local.get $p)))
          ;; a continuation byte compares to all ones (-1): added, it takes one unit off
          (local.set $acc
            (i8x16.add (local.get $acc) (i8x16.eq (v128.and (local.get $v) (local.get $top2)) (local.get $cont))))
          ;; a four-byte lead (above 0xef) compares to -1: subtracted, it adds one unit
          (local.set $acc (i8x16.sub (local.get $acc) (i8x16.gt_u (local.get $v) (local.get $three))))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $block (i32.lt_u (local.get $p) (local.get $stop))))
        (local.set $total
          (i32x4.add (local.get $total)
            (i32x4.extadd_pairwise_i16x8_s (i16x8.extadd_pairwise_i8x16_s (local.get $acc)))))
        (br $outer)))
    (i32.add
      (i32.sub (local.get $end) (local.get $start))
      (i32.add
        (i32.add (i32x4.extract_lane 0 (local.get $total)) (i32x4.extract_lane 1 (local.get $total)))
        (i32.add (i32x4.extract_lane 2 (local.get $total)) (i32x4.extract_lane 3 (local.get $total))))))
)
