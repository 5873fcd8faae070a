;; The prefilter's one pass over bytes, sixteen at a time (WebAssembly SIMD; needle-scan.ts builds the
;; tables and checks every candidate). Assembled into needle-scan-wasm.ts by `npm run wasm`; a test
;; checks that the two agree.
;;
;; Each needle is known by its first three bytes, put in one of eight buckets (a bit each). For every
;; position, the bytes at +0, +1 and +2 are looked up by their low and high nibble in six 16-byte
;; tables (i8x16.swizzle): a byte keeps the buckets that have a needle with that nibble there. A
;; position where some bucket survives all six lookups is a candidate: its three bytes may start a
;; needle. Most text has none in a block of sixteen, which then costs three loads and a dozen operations.
;;
;; Memory: the six tables at 0..95 (low and high nibble for byte 0, then byte 1, then byte 2), the
;; bytes to search from 128 on, followed by at least 32 zero bytes (no needle byte is zero, so the
;; padding never makes a candidate).
(module
  (memory (export "memory") 1)
  ;; The first candidate at or after $p and before $end (addresses in memory), or -1.
  (func (export "find") (param $p i32) (param $end i32) (result i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo2 v128) (local $hi2 v128)
    (local $nib v128) (local $v v128) (local $m v128)
    (local.set $lo0 (v128.load (i32.const 0)))
    (local.set $hi0 (v128.load (i32.const 16)))
    (local.set $lo1 (v128.load (i32.const 32)))
    (local.set $hi1 (v128.load (i32.const 48)))
    (local.set $lo2 (v128.load (i32.const 64)))
    (local.set $hi2 (v128.load (i32.const 80)))
    (local.set $nib (i8x16.splat (i32.const 15)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        ;; byte 0 of each of the sixteen positions
        (local.set $v (v128.load (local.get $p)))
        (local.set $m
          (v128.and
            (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nib)))
            (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $v) (i32.const 4)))))
        ;; byte 1
        (local.set $v (v128.load offset=1 (local.get $p)))
        (local.set $m
          (v128.and (local.get $m)
            (v128.and
              (i8x16.swizzle (local.get $lo1) (v128.and (local.get $v) (local.get $nib)))
              (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        ;; byte 2
        (local.set $v (v128.load offset=2 (local.get $p)))
        (local.set $m
          (v128.and (local.get $m)
            (v128.and
              (i8x16.swizzle (local.get $lo2) (v128.and (local.get $v) (local.get $nib)))
              (i8x16.swizzle (local.get $hi2) (i8x16.shr_u (local.get $v) (i32.const 4))))))
        (if (v128.any_true (local.get $m))
          (then
            ;; the first position in the block with a bucket left
            (return
              (i32.add (local.get $p)
                (i32.ctz (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i64x2 0 0))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (i32.const -1))
)
