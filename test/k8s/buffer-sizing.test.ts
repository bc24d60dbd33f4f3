/**
 * The sizing formula, README "Sizing the buffers from an outage budget": B = rate × 60 × minutes, rounded up to a whole
 * MiB and at least Vector's minimum; the aggregators' per replica; the volume the buffer rounded up to GiB plus 1 GiB.
 * Every expected number is worked by hand in the comment beside it.
 */
import { describe, expect, it } from 'vitest';
import {
  aggregatorBufferBytesFor,
  bufferBytesFor,
  minutesBufferLasts,
  volumeBytesFor,
  volumeSizeFor,
} from '../../lib/k8s/buffer-sizing';
import { MIN_DISK_BUFFER_BYTES } from '../../lib/vector';

const MIB = 1048576;
const GIB = 1073741824;

describe('bufferBytesFor', () => {
  it('holds rate × 60 × minutes bytes', () => {
    // 1 MiB/s for 10 minutes: 1048576 × 600 = 629145600 bytes, 600 MiB exactly.
    expect(bufferBytesFor(1_048_576, 10)).toBe(629_145_600);
    // 100 KiB/s (102400 B/s) for an hour: 102400 × 3600 = 368640000 bytes = 351.5625 MiB, rounded up to 352 MiB.
    expect(bufferBytesFor(102_400, 60)).toBe(352 * MIB);
    expect(352 * MIB).toBe(369_098_752);
  });

  it('rounds up to a whole MiB', () => {
    // 300 MiB and 1 byte (over 60 s at 1 minute): 301 MiB.
    expect(bufferBytesFor((300 * MIB + 1) / 60, 1)).toBe(301 * MIB);
  });

  it("never goes below Vector's minimum disk buffer, 268435488 bytes", () => {
    // 5000 B/s for an hour is 18000000 bytes (about 17.2 MiB): the minimum instead.
    expect(bufferBytesFor(5000, 60)).toBe(268_435_488);
    expect(MIN_DISK_BUFFER_BYTES).toBe(268_435_488);
    // 256 MiB exactly is 32 bytes short of the minimum.
    expect(bufferBytesFor((256 * MIB) / 60, 1)).toBe(268_435_488);
  });
});

describe('aggregatorBufferBytesFor', () => {
  it('splits the total rate over the replicas', () => {
    // 5 MiB/s into 3 replicas for 30 minutes: 5 MiB × 1800 / 3 = 3000 MiB = 3145728000 bytes each.
    expect(aggregatorBufferBytesFor(5 * MIB, 30, 3)).toBe(3_145_728_000);
    // Two replicas fill faster: 5 MiB × 1800 / 2 = 4500 MiB.
    expect(aggregatorBufferBytesFor(5 * MIB, 30, 2)).toBe(4500 * MIB);
  });
});

describe('volumeBytesFor', () => {
  it('is the buffer rounded up to a whole GiB, plus 1 GiB', () => {
    // 3145728000 bytes is 2.93 GiB: 3 GiB + 1 GiB.
    expect(volumeBytesFor(3_145_728_000)).toBe(4 * GIB);
    expect(volumeSizeFor(3_145_728_000)).toBe('4Gi');
    // The aggregator's default, 1 GiB: 2Gi, the size the StatefulSet has today.
    expect(volumeSizeFor(GIB)).toBe('2Gi');
    expect(volumeSizeFor(GIB + 1)).toBe('3Gi');
    expect(volumeSizeFor(MIN_DISK_BUFFER_BYTES)).toBe('2Gi');
  });
});

describe('minutesBufferLasts: the forward formula the sizing inverts', () => {
  it('gives back the outage a derived buffer was sized for', () => {
    // 3 replicas × 3145728000 bytes at 5 MiB/s: 9437184000 / 5242880 = 1800 s = 30 minutes.
    expect(minutesBufferLasts(3 * aggregatorBufferBytesFor(5 * MIB, 30, 3), 5 * MIB)).toBe(30);
  });

  it("matches README's example: 3 × 1 GiB at 5000 events/s of 1 KiB lasts about 10 minutes", () => {
    // 5000 × 1024 = 5120000 B/s (README rounds it to 5 MiB/s): 3221225472 / 5120000 = 629.1456 s = 10.486 minutes.
    expect(minutesBufferLasts(3 * GIB, 5000 * 1024)).toBeCloseTo(10.486, 3);
    // 512 MiB at 100 events/s of 1 KiB: 524288 / 100 s = 5242.88 s = 87.38 minutes.
    expect(minutesBufferLasts(512 * MIB, 100 * 1024)).toBeCloseTo(87.38, 2);
  });
});
