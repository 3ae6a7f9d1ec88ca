// The broadcast benches' picture clock: the broadcaster's canvas carries the time it was drawn (Unix ms, its low
// 24 bits) in two rows of big black/white blocks, which survive VP8, the server's decode and scale to any rung,
// and JPEG; the viewer reads them from every frame its player draws and subtracts them from its own clock (both
// pages run on this machine, so they share it).

/** Bits of the time carried: ms modulo 2^24 wraps every 4.66 hours, far longer than any latency. */
export const TIME_BITS = 24;
/** Bits of the check (the XOR of the time's four 6-bit groups): a frame that does not add up is not counted. */
export const CHECK_BITS = 6;
export const TIME_MODULO = 2 ** TIME_BITS;

/**
 * Where the blocks are on the broadcaster's 1280×720 canvas; readers scale these to the size they get. Block 0
 * is always white and block 1 always black (guards: a frame that does not read so is not a coded frame), then
 * the time's bits from the lowest, then the check's. Two rows of 16 blocks of 64 px, 12 px apart.
 */
export const CODE_LAYOUT = {
  width: 1280,
  height: 720,
  size: 64,
  step: 76,
  x0: 32,
  y0: 32,
  perRow: 16,
} as const;
export const CODE_BLOCKS = 2 + TIME_BITS + CHECK_BITS;

/** The check of a 24-bit time: its four 6-bit groups XORed. */
export function timeCheck(time: number): number {
  let check = 0;
  for (let shift = 0; shift < TIME_BITS; shift += CHECK_BITS)
    check ^= (time >>> shift) & (2 ** CHECK_BITS - 1);
  return check;
}

/** The blocks' colours (true: white) for Unix ms `ms`, in block order, guards first. */
export function encodeTimeCode(ms: number): boolean[] {
  const time = Math.floor(ms) % TIME_MODULO;
  const check = timeCheck(time);
  const bits = [true, false];
  for (let bit = 0; bit < TIME_BITS; bit++) bits.push(((time >>> bit) & 1) === 1);
  for (let bit = 0; bit < CHECK_BITS; bit++) bits.push(((check >>> bit) & 1) === 1);
  return bits;
}

/** The time (ms modulo 2^24) the blocks carry, or null when the guards or the check do not read right. */
export function decodeTimeCode(blocks: readonly boolean[]): number | null {
  if (blocks.length !== CODE_BLOCKS || blocks[0] !== true || blocks[1] !== false) return null;
  let time = 0;
  for (let bit = 0; bit < TIME_BITS; bit++) if (blocks[2 + bit]) time += 2 ** bit;
  let check = 0;
  for (let bit = 0; bit < CHECK_BITS; bit++) if (blocks[2 + TIME_BITS + bit]) check += 2 ** bit;
  return check === timeCheck(time) ? time : null;
}

/** How long before Unix ms `shownAtMs` a frame carrying `code` was drawn: the difference modulo 2^24. */
export function codeLatencyMs(shownAtMs: number, code: number): number {
  const behind = (Math.floor(shownAtMs) - code) % TIME_MODULO;
  return behind < 0 ? behind + TIME_MODULO : behind;
}

/** Top-left corner of block `index` on the 1280×720 canvas. */
export function blockOrigin(index: number): { x: number; y: number } {
  const { x0, y0, step, perRow } = CODE_LAYOUT;
  return { x: x0 + (index % perRow) * step, y: y0 + Math.floor(index / perRow) * step };
}

const ORIGINS = JSON.stringify(Array.from({ length: CODE_BLOCKS }, (_, index) => blockOrigin(index)));

/**
 * Page code (a string: tsx would wrap a function's inner functions in a helper the page does not have) that
 * defines `window.__onairClockStream(fps, width?, height?)`: a canvas (1280×720 unless given, the layout scaled
 * to it) redrawn `fps` times a second with the time code of
 * the instant it is drawn, a box sweeping across (so the encoder has motion to code) and the time in digits (for
 * eyes), captured with `captureStream(0)` and `requestFrame()` after each drawing, so each frame is the picture of
 * the instant its code says; plus a quiet 440 Hz tone, as a microphone would add. Each call makes a new stream
 * (the broadcaster stops the previous one's tracks). `window.__onairClockDrawn` counts the frames drawn.
 */
export const CLOCK_STREAM_SCRIPT = `
(() => {
  const L = ${JSON.stringify(CODE_LAYOUT)}, ORIGINS = ${ORIGINS}, BITS = ${TIME_BITS}, CHECK = ${CHECK_BITS};
  const check = (time) => {
    let value = 0;
    for (let shift = 0; shift < BITS; shift += CHECK) value ^= (time >>> shift) & (2 ** CHECK - 1);
    return value;
  };
  window.__onairClockDrawn = 0;
  window.__onairClockStream = (fps, width = L.width, height = L.height) => {
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d', { alpha: false });
    context.setTransform(width / L.width, 0, 0, height / L.height, 0, 0);
    const stream = canvas.captureStream(0);
    const [track] = stream.getVideoTracks();
    const draw = () => {
      const now = performance.timeOrigin + performance.now();
      const time = Math.floor(now) % 2 ** BITS;
      const sum = check(time);
      context.fillStyle = '#000';
      context.fillRect(0, 0, L.width, L.height);
      context.fillStyle = '#fff';
      ORIGINS.forEach((origin, index) => {
        const white = index === 0 || (index >= 2 && index < 2 + BITS ? (time >>> (index - 2)) & 1 : index >= 2 + BITS ? (sum >>> (index - 2 - BITS)) & 1 : 0);
        if (white) context.fillRect(origin.x, origin.y, L.size, L.size);
      });
      const x = ((now / 4) % (L.width + 200)) - 200;
      context.fillStyle = '#3a7bd5';
      context.fillRect(x, 300, 200, 200);
      context.fillStyle = '#ddd';
      context.font = '64px monospace';
      context.fillText(new Date(now).toISOString().slice(11, 23), 40, 640);
      track.requestFrame();
      window.__onairClockDrawn++;
    };
    let next = performance.now();
    const tick = (now) => {
      if (track.readyState === 'ended') return;
      if (now >= next) {
        next = Math.max(next + 1000 / fps, now - 1000 / fps);
        draw();
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    const gain = audio.createGain();
    gain.gain.value = 0.05;
    const out = audio.createMediaStreamDestination();
    tone.frequency.value = 440;
    tone.connect(gain).connect(out);
    tone.start();
    return new MediaStream([track, ...out.stream.getAudioTracks()]);
  };
})();
`;

/**
 * Page code for the viewer (an init script): after every `drawImage` onto a canvas inside the player
 * (`.onair-player`), it draws the same picture into a 640×360 canvas of its own, reads the blocks' centres (3×3
 * pixels each) and notes `[Unix ms now, code]`, or counts the draw as unread. `window.__onairTimeCodes`.
 */
export const READ_TIME_CODES_SCRIPT = `
(() => {
  const L = ${JSON.stringify(CODE_LAYOUT)}, ORIGINS = ${ORIGINS}, BITS = ${TIME_BITS}, CHECK = ${CHECK_BITS};
  const W = 640, H = 360, SCALE = W / L.width;
  const rows = Math.ceil((ORIGINS[ORIGINS.length - 1].y + L.size) * SCALE) + 2;
  const reads = { frames: [], unread: 0 };
  window.__onairTimeCodes = reads;
  let canvas = null, context = null;
  const check = (time) => {
    let value = 0;
    for (let shift = 0; shift < BITS; shift += CHECK) value ^= (time >>> shift) & (2 ** CHECK - 1);
    return value;
  };
  const read = (source) => {
    if (!canvas) {
      canvas = document.createElement('canvas');
      canvas.width = W;
      canvas.height = H;
      context = canvas.getContext('2d', { willReadFrequently: true });
    }
    context.drawImage(source, 0, 0, W, H);
    const pixels = context.getImageData(0, 0, W, rows).data;
    const white = (origin) => {
      const cx = Math.round((origin.x + L.size / 2) * SCALE), cy = Math.round((origin.y + L.size / 2) * SCALE);
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) sum += pixels[((cy + dy) * W + cx + dx) * 4 + 1];
      return sum / 9 > 128;
    };
    const blocks = ORIGINS.map(white);
    if (!blocks[0] || blocks[1]) return null;
    let time = 0, sum = 0;
    for (let bit = 0; bit < BITS; bit++) if (blocks[2 + bit]) time += 2 ** bit;
    for (let bit = 0; bit < CHECK; bit++) if (blocks[2 + BITS + bit]) sum += 2 ** bit;
    return sum === check(time) ? time : null;
  };
  const drawImage = CanvasRenderingContext2D.prototype.drawImage;
  CanvasRenderingContext2D.prototype.drawImage = function (...args) {
    const result = drawImage.apply(this, args);
    if (this.canvas && this.canvas.closest && this.canvas.closest('.onair-player')) {
      const code = read(args[0]);
      if (code === null) reads.unread++;
      else reads.frames.push([performance.timeOrigin + performance.now(), code]);
    }
    return result;
  };
})();
`;
