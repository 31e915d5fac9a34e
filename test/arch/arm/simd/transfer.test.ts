import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getD, neonHarness, run, setD } from './helpers.js';

/** VMOV core <-> scalar (8, 16 bits), VDUP (core, scalar), VMOV/VMVN/VORR/VBIC immediate, VMOV register, VBSL. */

test('vmov.8 d0[3], r1 writes one byte lane; vmov.s16 and vmov.u8 extend', () => {
  const h = neonHarness();
  setD(h, 0, 0x1111111111111111n);
  h.cpu.r[1] = 0x1234abcd;
  run(h, 0xee401b70);
  assert.equal(getD(h, 0), '11111111cd111111');
  setD(h, 1, 0x0000800000000000n);
  run(h, 0xee312b30);
  assert.equal(h.cpu.r[2], -0x8000);
  setD(h, 17, 0xf100000000000000n);
  run(h, 0xeef12bf0);
  assert.equal(h.cpu.r[2], 0xf1);
});

test('vdup.16 q1, r3 and vdup.8 d2, d3[5]', () => {
  const h = neonHarness();
  h.cpu.r[3] = 0x5678abcd;
  run(h, 0xeea23b30);
  assert.equal(getD(h, 2), 'abcdabcdabcdabcd');
  assert.equal(getD(h, 3), 'abcdabcdabcdabcd');
  setD(h, 3, 0x0000990000000000n);
  run(h, 0xf3bb2c03);
  assert.equal(getD(h, 2), '9999999999999999');
});

test('modified immediates: vmov.i32 q0, vmvn.i16, vorr.i32, vbic.i16 q2, vmov.i64, vmov.f32', () => {
  const h = neonHarness();
  run(h, 0xf387045f);
  assert.equal(getD(h, 0), '00ff000000ff0000');
  assert.equal(getD(h, 1), '00ff000000ff0000');
  run(h, 0xf2811a32);
  assert.equal(getD(h, 1), 'edffedffedffedff');
  setD(h, 2, 0x1000000020000000n);
  run(h, 0xf2832114);
  assert.equal(getD(h, 2), '1000003420000034');
  setD(h, 4, -1n);
  setD(h, 5, 0x5700570057005700n);
  run(h, 0xf2854b76);
  assert.equal(getD(h, 4), 'a9ffa9ffa9ffa9ff');
  assert.equal(getD(h, 5), '0100010001000100');
  run(h, 0xf3823e35);
  assert.equal(getD(h, 3), 'ff00ff0000ff00ff');
  run(h, 0xf2878f58);
  assert.equal(getD(h, 8), '3fc000003fc00000');
  assert.equal(getD(h, 9), '3fc000003fc00000');
});

test('vmov q1, q2 (VORR) in A32 and T32; vbsl d0, d1, d2', () => {
  for (const [thumb, word] of [[false, 0xf2242154], [true, 0xef242154]] as const) {
    const h = neonHarness(thumb);
    setD(h, 4, 0x0123456789abcdefn);
    setD(h, 5, -2n);
    assert.equal(run(h, word), false);
    assert.equal(getD(h, 2), '0123456789abcdef');
    assert.equal(getD(h, 3), 'fffffffffffffffe');
  }
  const h = neonHarness();
  setD(h, 0, 0xff00ff00ff00ff00n);
  setD(h, 1, 0x1111111111111111n);
  setD(h, 2, 0x2222222222222222n);
  run(h, 0xf3110112);
  assert.equal(getD(h, 0), '1122112211221122');
});

test('UNDEFINED: odd Q register, vmov.i64 with op=1 cmode=1111, a scalar to the PC', () => {
  const h = neonHarness();
  assert.equal(run(h, 0xf2242154 | (1 << 12)), true, 'vorr q with odd Vd');
  assert.equal(run(h, 0xf3800f30), true, 'cmode 1111 with op 1');
  assert.equal(run(h, 0xeef1fbf0), true, 'vmov.u8 pc, d17[7]');
});

test('R15 as a source reads the PC value, as in QEMU: vmov.8 d0[3], pc; vdup.32 d0, pc', () => {
  const h = neonHarness();
  setD(h, 0, 0n);
  assert.equal(run(h, 0xee40fb70), false);
  assert.equal(getD(h, 0), '0000000008000000'); // low byte of 0x40010008
  assert.equal(run(h, 0xee80fb10), false);
  assert.equal(getD(h, 0), '4001000840010008');
});
