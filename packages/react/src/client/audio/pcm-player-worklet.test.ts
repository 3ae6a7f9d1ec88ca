import { describe, expect, it } from 'vitest';
import { PCM_PLAYER_PROCESSOR, PCM_PLAYER_WORKLET_SOURCE } from './pcm-player-worklet';

/** A round rate and quantum (the real quantum is 128 frames) keep the arithmetic readable: 10 ms a quantum. */
const SAMPLE_RATE = 1_000;
const QUANTUM = 10;

interface WorkletReport {
  timestamp: number | null;
  contextTime: number;
  playedFrames: number;
  gapFrames: number;
}

interface Processor {
  port: { onmessage: ((event: { data: unknown }) => void) | null };
  process(inputs: unknown, outputs: Float32Array[][]): boolean;
}

/**
 * The worklet's processor run outside an AudioWorkletGlobalScope, on a fake clock: its globals (`sampleRate`,
 * `currentTime`, `registerProcessor`, the processor base class and its port) are stand-ins, and the context's time
 * advances one quantum per `process` call.
 */
function startWorklet(primeMs: number, ceilingMs: number) {
  const reports: WorkletReport[] = [];
  const scope = { currentTime: 0 };
  class AudioWorkletProcessor {
    port = { onmessage: null, postMessage: (report: WorkletReport) => reports.push(report) };
  }
  let registered: (new (options: unknown) => Processor) | undefined;
  const register = (name: string, processor: new (options: unknown) => Processor) => {
    expect(name).toBe(PCM_PLAYER_PROCESSOR);
    registered = processor;
  };
  // `with` gives the source a live `currentTime`, as the worklet scope does.
  new Function(
    'AudioWorkletProcessor',
    'registerProcessor',
    'sampleRate',
    'scope',
    `with (scope) {${PCM_PLAYER_WORKLET_SOURCE}}`,
  )(AudioWorkletProcessor, register, SAMPLE_RATE, scope);
  const primeFrames = (primeMs * SAMPLE_RATE) / 1000;
  const maxFrames = primeFrames + (ceilingMs * SAMPLE_RATE) / 1000;
  const processor = new registered!({
    processorOptions: { channels: 1, primeFrames, maxFrames, capacityFrames: maxFrames + SAMPLE_RATE },
  });
  return {
    /** `ms` of sound starting at `timestamp` on the channel clock. */
    push(timestamp: number, ms: number): void {
      const samples = new Float32Array((ms * SAMPLE_RATE) / 1000).fill(0.5);
      processor.port.onmessage?.({ data: { type: 'push', timestamp, samples } });
    },
    /** Renders `ms` of output, a quantum at a time. */
    render(ms: number): void {
      for (let done = 0; done < ms; done += (QUANTUM * 1000) / SAMPLE_RATE) {
        processor.process([], [[new Float32Array(QUANTUM)]]);
        scope.currentTime += QUANTUM / SAMPLE_RATE;
      }
    },
    /** Channel time at the read head now, from the last clock report as `AudioOutput.now()` reads it; null: silent. */
    heard(): number | null {
      const report = reports.at(-1);
      if (!report || report.timestamp === null) return null;
      return report.timestamp + (scope.currentTime - report.contextTime) * 1000;
    },
    gapMs: () => ((reports.at(-1)?.gapFrames ?? 0) * 1000) / SAMPLE_RATE,
  };
}

describe('the PCM player worklet', () => {
  it('waits for the playout delay, then plays with its clock on the channel time of the sample at the head', () => {
    const worklet = startWorklet(200, 300);
    worklet.push(1_000, 100);
    worklet.render(50);
    expect(worklet.heard()).toBeNull();
    worklet.push(1_100, 100);
    worklet.render(80);
    expect(worklet.heard()).toBeCloseTo(1_080, 6);
  });

  it('after a stall, a burst of the late audio is skipped down to the playout delay: it plays on at live', () => {
    const worklet = startWorklet(200, 300);
    for (let t = 0; t < 300; t += 100) worklet.push(t, 100);
    worklet.render(300);
    // Two seconds of nothing: silence, counted as a gap, and no clock.
    worklet.render(2_000);
    expect(worklet.heard()).toBeNull();
    expect(worklet.gapMs()).toBeGreaterThanOrEqual(1_900);
    // The link recovers: the stall's two seconds arrive at once, the newest ending at 2 300.
    for (let t = 300; t < 2_300; t += 100) worklet.push(t, 100);
    worklet.render(10);
    // The head is one playout delay behind the newest sound (300 ms: the underrun added a step), not two seconds.
    expect(worklet.heard()).toBeCloseTo(2_000 + 10, 6);
  });

  it('lengthens its playout delay a step per underrun, up to a bound, and gives a step back after a steady run', () => {
    const worklet = startWorklet(200, 300);
    let timestamp = 0;
    const feed = (ms: number) => {
      for (let done = 0; done < ms; done += 100, timestamp += 100) {
        worklet.push(timestamp, 100);
        worklet.render(100);
      }
    };
    const stall = () => {
      worklet.render(1_000);
      timestamp += 1_000;
    };
    /** The playout delay, read as a burst past the ceiling is skipped down to it. */
    const delay = () => {
      worklet.push(timestamp, 1_000);
      timestamp += 1_000;
      worklet.render(10);
      return timestamp - (worklet.heard() as number) + 10;
    };
    feed(1_000);
    expect(delay()).toBeCloseTo(200, 6);
    stall();
    feed(1_000);
    expect(delay()).toBeCloseTo(300, 6);
    for (let stalls = 0; stalls < 4; stalls++) {
      stall();
      feed(1_000);
    }
    expect(delay()).toBeCloseTo(500, 6);
    // Twenty seconds without an underrun give a step back.
    feed(21_000);
    expect(delay()).toBeCloseTo(400, 6);
  });

  it('skips a standing excess: sound that came in a burst at the start does not keep the head late for good', () => {
    const worklet = startWorklet(200, 300);
    // 350 ms at once (held back, then released), then 100 ms every 100 ms: under the 500 ms ceiling throughout.
    worklet.push(0, 350);
    let newest = 350;
    const lag = () => newest - (worklet.heard() as number);
    const steady = (ms: number) => {
      for (let done = 0; done < ms; done += 100, newest += 100) {
        worklet.push(newest, 100);
        worklet.render(100);
      }
    };
    steady(1_000);
    // The head plays 350 ms behind the newest sound: 150 ms over its playout delay, and it would stay so.
    expect(lag()).toBeGreaterThan(300);
    steady(2_000);
    // The least it held over two seconds was 150 ms over its delay: skipped.
    expect(lag()).toBeLessThanOrEqual(250);
    expect(worklet.gapMs()).toBe(0);
  });

  it('while it plays, sound piled up past the ceiling is skipped down to the playout delay', () => {
    const worklet = startWorklet(200, 300);
    worklet.push(0, 200);
    worklet.render(10);
    expect(worklet.heard()).toBeCloseTo(10, 6);
    // A burst of 600 ms more while playing: 790 ms buffered, over the 500 ms ceiling.
    worklet.push(200, 600);
    worklet.render(10);
    expect(worklet.heard()).toBeCloseTo(600 + 10, 6);
  });
});
