// hls.js publishes no typings for its `./light` entry point: the same API as the full build, fewer features in it.
declare module 'hls.js/light' {
  export * from 'hls.js';
  export { default } from 'hls.js';
}
