import type { VideoInfo } from '@onair/protocol';
import { sampleJpegDataUrl } from './sample-media';

/** The mock's default catalog: a file with audio, a long file without, and an endless camera. */
export function defaultMockVideos(): VideoInfo[] {
  return [
    {
      id: 'ocean',
      title: 'Ocean',
      duration: 596,
      width: 16,
      height: 9,
      fps: 25,
      hasAudio: true,
      thumbnailUrl: sampleJpegDataUrl(0),
    },
    {
      id: 'sunset',
      title: 'Sunset',
      duration: 3723,
      width: 16,
      height: 9,
      fps: 25,
      hasAudio: false,
      thumbnailUrl: sampleJpegDataUrl(1),
    },
    {
      id: 'forest-cam',
      title: 'Forest camera',
      duration: null,
      width: 16,
      height: 9,
      fps: 15,
      hasAudio: false,
      thumbnailUrl: sampleJpegDataUrl(2),
    },
  ];
}
