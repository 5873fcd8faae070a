;; The gates' character loops (gates.ts), for ASCII halves of up to 256 characters. A scan checks each
;; key's halves once, before V8 has optimised the JavaScript: interpreted, the gates cost some 0.15 ms
;; a half (15 ms of a scan with fifty findings); here they run as machine code from the first call.
;; gates.ts keeps the JavaScript for everything else and fills the tables below from its own
;; definitions, so both give the same answers (test/engine.gates.test.ts compares them).
;;
;; Memory (one page), offsets in bytes:
;;   0..512       the text: one half at 0, a second at 256
;;   512..640     ordinal of each character, case folded (255: none)
;;   640..768     ordinal of each character, exact (255: none)
;;   768..1024    successor of each ordinal (255: none)
;;   1024..1152   1 upper-case letter, 2 lower-case, 0 other
;;   1152..1280   6-bit value in the base64url alphabet (255: outside it)
;;   2048..2560   count of each character (i32), for the entropy
;;   2560..2688   the distinct characters in order of first appearance
;;   8192..16384  the set of 8-character units (1024 slots of i64; 0 is empty)

(module
  (memory (export "memory") 1)

  ;; a run of `run` identical characters or consecutive code points up or down (6 in halves under 30, else 7)
  (func $pattern_run (param $off i32) (param $len i32) (result i32)
    (local $need i32) (local $i i32) (local $d i32) (local $same i32) (local $up i32) (local $down i32)
    (local.set $need (select (i32.const 6) (i32.const 7) (i32.lt_u (local.get $len) (i32.const 30))))
    (local.set $same (i32.const 1))
    (local.set $up (i32.const 1))
    (local.set $down (i32.const 1))
    (local.set $i (i32.const 1))
    (block $no
      (loop $chars
        (br_if $no (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $d
          (i32.sub
            (i32.load8_u (i32.add (local.get $off) (local.get $i)))
            (i32.load8_u (i32.sub (i32.add (local.get $off) (local.get $i)) (i32.const 1)))))
        (local.set $same (select (i32.add (local.get $same) (i32.const 1)) (i32.const 1) (i32.eqz (local.get $d))))
        (local.set $up (select (i32.add (local.get $up) (i32.const 1)) (i32.const 1) (i32.eq (local.get $d) (i32.const 1))))
        (local.set $down (select (i32.add (local.get $down) (i32.const 1)) (i32.const 1) (i32.eq (local.get $d) (i32.const -1))))
        (if (i32.or (i32.or (i32.ge_u (local.get $same) (local.get $need)) (i32.ge_u (local.get $up) (local.get $need)))
              (i32.ge_u (local.get $down) (local.get $need)))
          (then (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $chars)))
    (i32.const 0))

  ;; `steps` successive successors (or predecessors) at `stride`, ordinals from the table at `table`
  (func $counts (param $off i32) (param $len i32) (param $table i32) (param $stride i32) (param $steps i32) (result i32)
    (local $phase i32) (local $i i32) (local $a i32) (local $b i32) (local $up i32) (local $down i32) (local $both i32)
    (block $no
      (loop $phases
        (br_if $no (i32.ge_u (local.get $phase) (local.get $stride)))
        (local.set $up (i32.const 0))
        (local.set $down (i32.const 0))
        (local.set $i (i32.add (local.get $phase) (local.get $stride)))
        (block $phase_done
          (loop $steps_loop
            (br_if $phase_done (i32.ge_u (local.get $i) (local.get $len)))
            (local.set $a (i32.load8_u (i32.add (local.get $table)
              (i32.load8_u (i32.sub (i32.add (local.get $off) (local.get $i)) (local.get $stride))))))
            (local.set $b (i32.load8_u (i32.add (local.get $table) (i32.load8_u (i32.add (local.get $off) (local.get $i))))))
            (local.set $both (i32.and (i32.ne (local.get $a) (i32.const 255)) (i32.ne (local.get $b) (i32.const 255))))
            (local.set $up (select (i32.add (local.get $up) (i32.const 1)) (i32.const 0)
              (i32.and (local.get $both) (i32.eq (i32.load8_u offset=768 (local.get $a)) (local.get $b)))))
            (local.set $down (select (i32.add (local.get $down) (i32.const 1)) (i32.const 0)
              (i32.and (local.get $both) (i32.eq (i32.load8_u offset=768 (local.get $b)) (local.get $a)))))
            (if (i32.or (i32.ge_u (local.get $up) (local.get $steps)) (i32.ge_u (local.get $down) (local.get $steps)))
              (then (return (i32.const 1))))
            (local.set $i (i32.add (local.get $i) (local.get $stride)))
            (br $steps_loop)))
        (local.set $phase (i32.add (local.get $phase) (i32.const 1)))
        (br $phases)))
    (i32.const 0))

  ;; letters whose case alternates for 24 in a row, or over a whole half of 16 to 23
  (func $alternates_case (param $off i32) (param $len i32) (result i32)
    (local $need i32) (local $i i32) (local $run i32) (local $before i32) (local $letter i32)
    (if (i32.lt_u (local.get $len) (i32.const 16)) (then (return (i32.const 0))))
    (local.set $need (select (i32.const 24) (local.get $len) (i32.gt_u (local.get $len) (i32.const 24))))
    (block $no
      (loop $chars
        (br_if $no (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $letter (i32.load8_u offset=1024 (i32.load8_u (i32.add (local.get $off) (local.get $i)))))
        (local.set $run
          (if (result i32) (i32.eqz (local.get $letter))
            (then (i32.const 0))
            (else
              (select (i32.add (local.get $run) (i32.const 1)) (i32.const 1)
                (i32.and (i32.gt_u (local.get $run) (i32.const 0)) (i32.ne (local.get $letter) (local.get $before)))))))
        (local.set $before (local.get $letter))
        (if (i32.ge_u (local.get $run) (local.get $need)) (then (return (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $chars)))
    (i32.const 0))

  ;; 1: a pattern run; 2: made by hand (counted at stride 1, 2 or 3, or case-alternated); 0: neither
  (func (export "shape") (param $off i32) (param $len i32) (result i32)
    (if (call $pattern_run (local.get $off) (local.get $len)) (then (return (i32.const 1))))
    (if (call $counts (local.get $off) (local.get $len) (i32.const 512) (i32.const 1) (i32.const 7)) (then (return (i32.const 2))))
    (if (call $counts (local.get $off) (local.get $len) (i32.const 512) (i32.const 2) (i32.const 7)) (then (return (i32.const 2))))
    (if (call $counts (local.get $off) (local.get $len) (i32.const 640) (i32.const 3) (i32.const 6)) (then (return (i32.const 2))))
    (if (call $alternates_case (local.get $off) (local.get $len)) (then (return (i32.const 2))))
    (i32.const 0))

  ;; counts of each character at 2048 and the distinct ones, in order of first appearance, at 2560; returns how many
  (func (export "tally") (param $off i32) (param $len i32) (result i32)
    (local $i i32) (local $c i32) (local $at i32) (local $distinct i32)
    (memory.fill (i32.const 2048) (i32.const 0) (i32.const 512))
    (block $done
      (loop $chars
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $off) (local.get $i))))
        (local.set $at (i32.add (i32.const 2048) (i32.shl (local.get $c) (i32.const 2))))
        (if (i32.eqz (i32.load (local.get $at)))
          (then
            (i32.store8 offset=2560 (local.get $distinct) (local.get $c))
            (local.set $distinct (i32.add (local.get $distinct) (i32.const 1)))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $chars)))
    (local.get $distinct))

  ;; adds each 8-character unit of text[off, off + len) to the set: 1 when one is there already,
  ;; -1 at a character outside the base64url alphabet (gates.ts then compares them as text), else 0
  (func $units (param $off i32) (param $len i32) (result i32)
    (local $i i32) (local $six i32) (local $unit i64) (local $key i64) (local $slot i32) (local $held i64)
    (block $done
      (loop $chars
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $six (i32.load8_u offset=1152 (i32.load8_u (i32.add (local.get $off) (local.get $i)))))
        (if (i32.eq (local.get $six) (i32.const 255)) (then (return (i32.const -1))))
        (local.set $unit
          (i64.or (i64.shl (i64.and (local.get $unit) (i64.const 0x3ffffffffff)) (i64.const 6)) (i64.extend_i32_u (local.get $six))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $chars (i32.lt_u (local.get $i) (i32.const 8)))
        ;; open addressing: the high bits of a multiplicative hash pick the first slot
        (local.set $key (i64.add (local.get $unit) (i64.const 1)))
        (local.set $slot (i32.wrap_i64 (i64.shr_u (i64.mul (local.get $key) (i64.const 0x9e3779b97f4a7c15)) (i64.const 54))))
        (block $placed
          (loop $probe
            (local.set $held (i64.load offset=8192 (i32.shl (local.get $slot) (i32.const 3))))
            (if (i64.eq (local.get $held) (local.get $key)) (then (return (i32.const 1))))
            (br_if $placed (i64.eqz (local.get $held)))
            (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 1023)))
            (br $probe)))
        (i64.store offset=8192 (i32.shl (local.get $slot) (i32.const 3)) (local.get $key))
        (br $chars)))
    (i32.const 0))

  ;; an 8-character unit that occurs twice in text[0, lenA) and text[256, 256 + lenB) together (see $units)
  (func (export "repeats") (param $lenA i32) (param $lenB i32) (result i32)
    (local $r i32)
    (memory.fill (i32.const 8192) (i32.const 0) (i32.const 8192))
    (local.set $r (call $units (i32.const 0) (local.get $lenA)))
    (if (local.get $r) (then (return (local.get $r))))
    (call $units (i32.const 256) (local.get $lenB))))
